import { z } from 'zod';
import { VALIDATION_SCHEDULE_ID } from '../workflows/definitions/token-sweep';

/** The task queue of the worker and of every client that starts our workflows, unless configured. */
export const DEFAULT_TASK_QUEUE = 'meetings';

export const temporalEnv = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  /** The daily sweep's Schedule; stacks sharing one dev server (tests) each use their own. */
  VALIDATION_SCHEDULE_ID: z.string().min(1).default(VALIDATION_SCHEDULE_ID),
});
export type TemporalEnv = z.infer<typeof temporalEnv>;
