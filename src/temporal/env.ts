import { z } from 'zod';
import { envField } from '../config/parse-env';
import { VALIDATION_SCHEDULE_ID } from '../workflows/definitions/token-sweep';

/** The task queue of the worker and of every client that starts our workflows, unless configured. */
export const DEFAULT_TASK_QUEUE = 'meetings';

/**
 * The key of the payload codec (src/temporal/payload-codec.ts): every process that talks to Temporal
 * needs it, and only those (`npm run migrate` does not).
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
});
export type TemporalEnv = z.infer<typeof temporalEnv>;
