import { z } from 'zod';
import { envField } from '../config/parse-env';
import { VALIDATION_SCHEDULE_ID } from '../workflows/definitions/token-sweep';

/** The task queue of the worker and of every client that starts our workflows, unless configured. */
export const DEFAULT_TASK_QUEUE = 'meetings';

/**
 * The key of the payload codec (src/temporal/payload-codec.ts): every process that talks to Temporal
 * needs it, and only those (`npm run migrate` and the ops commands that only touch the database do
 * not: src/config/service-env.ts, serviceEnvWithoutPayloadKey).
 */
export const payloadEncryptionEnv = z.object({
  PAYLOAD_ENCRYPTION_KEY: envField.encryptionKey(),
  /** Keys of a rotation: they still decrypt histories written before it. */
  PAYLOAD_ENCRYPTION_OLD_KEYS: envField.oldEncryptionKeys(),
});
export type PayloadEncryptionEnv = z.infer<typeof payloadEncryptionEnv>;

export const temporalEnv = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  /** The daily sweep's Schedule; stacks sharing one dev server (tests) each use their own. */
  VALIDATION_SCHEDULE_ID: z.string().min(1).default(VALIDATION_SCHEDULE_ID),
  ...payloadEncryptionEnv.shape,
  /**
   * The deadline of each lesson command's calls to Temporal: with Temporal away, a lesson route
   * answers 503 after this, not after the SDK's ~20 s of retries.
   */
  TEMPORAL_CALL_TIMEOUT_MS: envField.positiveInt().max(60_000).default(4000),
  /**
   * How long a reschedule or cancel waits for its Update: done by then, the answer is 200 with the
   * result; accepted, 202; not even accepted (no worker), the signal is sent instead and it is 202.
   */
  LESSON_COMMAND_WAIT_MS: envField.positiveInt().max(60_000).default(3000),
});
export type TemporalEnv = z.infer<typeof temporalEnv>;

/** A lesson command's timing with Temporal (see TEMPORAL_CALL_TIMEOUT_MS and LESSON_COMMAND_WAIT_MS). */
export interface TemporalCallTiming {
  callTimeoutMs: number;
  commandWaitMs: number;
}

export const temporalCallTiming = (
  env: Pick<TemporalEnv, 'TEMPORAL_CALL_TIMEOUT_MS' | 'LESSON_COMMAND_WAIT_MS'>,
): TemporalCallTiming => ({
  callTimeoutMs: env.TEMPORAL_CALL_TIMEOUT_MS,
  commandWaitMs: env.LESSON_COMMAND_WAIT_MS,
});
