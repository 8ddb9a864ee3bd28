import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { activityLogContext } from '../observability/activity-log-context';
import { dataConverter } from '../temporal/data-converter';
import type { Logger } from '../logger';
import type { WorkerTuningEnv } from './env';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: object;
  /** Activity attempts log through it, with their workflow and lesson ids. */
  logger: Logger;
  /** A prebuilt bundle (tests, images); without one the worker bundles the workflows at start. */
  workflowBundle?: { code: string } | { codePath: string };
  tuning?: Partial<WorkerTuningEnv>;
}

export function workerTuning(tuning: Partial<WorkerTuningEnv> = {}): Partial<WorkerOptions> {
  const options: Partial<WorkerOptions> = {
    maxCachedWorkflows: tuning.WORKER_MAX_CACHED_WORKFLOWS,
    maxConcurrentWorkflowTaskExecutions: tuning.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxConcurrentActivityTaskExecutions: tuning.WORKER_MAX_CONCURRENT_ACTIVITIES ?? 200,
    workflowTaskPollerBehavior: tuning.WORKER_WORKFLOW_POLLERS
      ? { type: 'simple-maximum', maximum: tuning.WORKER_WORKFLOW_POLLERS }
      : undefined,
    activityTaskPollerBehavior: tuning.WORKER_ACTIVITY_POLLERS
      ? { type: 'simple-maximum', maximum: tuning.WORKER_ACTIVITY_POLLERS }
      : undefined,
  };
  // unset knobs keep the SDK's defaults
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const bundle =
    options.workflowBundle ??
    (options.tuning?.WORKFLOW_BUNDLE_PATH ? { codePath: options.tuning.WORKFLOW_BUNDLE_PATH } : undefined);
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: options.activities,
    dataConverter,
    interceptors: { activity: [activityLogContext(options.logger)] },
    // Without a bundle: workflows/index.ts under tsx, workflows/index.js when compiled.
    ...(bundle ? { workflowBundle: bundle } : { workflowsPath: require.resolve('../workflows') }),
    ...workerTuning(options.tuning),
  });
}
