import { z } from 'zod';
import { envField } from '../config/parse-env';

/** Worker tuning; the benchmark records the values it ran with. */
export const workerTuningEnv = z.object({
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  WORKER_MAX_CACHED_WORKFLOWS: envField.positiveInt().optional(),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: envField.positiveInt().optional(),
  WORKER_MAX_CONCURRENT_ACTIVITIES: envField.positiveInt().default(200),
  WORKER_WORKFLOW_POLLERS: envField.positiveInt().optional(),
  WORKER_ACTIVITY_POLLERS: envField.positiveInt().optional(),
});
export type WorkerTuningEnv = z.infer<typeof workerTuningEnv>;
