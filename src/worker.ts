import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from './activities';
import { loadServiceEnv } from './config/service-env';
import { createContainer, type Container } from './container';
import { serveMetricsIfConfigured } from './observability/metrics-server';
import { installRuntime } from './worker/runtime';
import { registerNamespace } from './temporal/register-namespace';
import { createWorker } from './worker/create-worker';
import {
  ensureValidationSchedule,
  scheduleOptions,
  validationScheduleState,
  type EnsureOutcome,
  type ScheduleOptions,
} from './schedule/validation-schedule';
import type { ReconcileObserver } from './schedule/reconcile-schedule';

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped. */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

/** Registers the namespace and search attributes (safe to repeat), then runs the worker. */
export async function startWorker(
  container: Container,
  options: { workflowBundle?: { code: string } } = {},
): Promise<RunningWorker> {
  const { env } = container;
  await registerNamespace(env.TEMPORAL_ADDRESS, env.TEMPORAL_NAMESPACE);
  await ensureScheduleAtStart(container, scheduleOptions(env));
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const worker = await createWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    activities: createActivities(container),
    logger: container.logger,
    workflowBundle: options.workflowBundle,
    tuning: env,
  });
  const done = worker.run().finally(() => connection.close());
  return {
    worker,
    done,
    shutdown: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

/**
 * Every worker ensures the schedule at start: a production one also lifts the pause that a
 * non-production start set. An operator's pause stands, so say loudly that no sweep will run.
 */
export async function ensureScheduleAtStart(
  container: Pick<Container, 'temporal' | 'logger'>,
  schedule: ScheduleOptions,
  observer: ReconcileObserver = {},
): Promise<EnsureOutcome> {
  const { client } = container.temporal;
  const outcome = await ensureValidationSchedule(client, schedule, {
    ...observer,
    onConflict: () => {
      container.logger.info(
        { scheduleId: schedule.scheduleId },
        'the schedule changed while this worker updated it: read it again',
      );
      observer.onConflict?.();
    },
  });
  if (outcome !== 'unchanged')
    container.logger.info({ scheduleId: schedule.scheduleId, outcome }, 'schedule');
  if (!schedule.production) return outcome;
  const state = await validationScheduleState(client, schedule.scheduleId);
  if (state.paused)
    container.logger.warn(
      { scheduleId: schedule.scheduleId, note: state.note },
      'the daily Zoom token check is paused by an operator, so no sweep runs: `npm run ops -- unpause` starts it',
    );
  return outcome;
}

/** `npm run worker`: production style, from the environment only. */
async function main(): Promise<void> {
  const env = loadServiceEnv();
  const container = await createContainer(env);
  const sdkMetricsUrl = await installRuntime(container.logger, { metrics: env.METRICS_PORT !== undefined });
  const metrics = await serveMetricsIfConfigured(container, sdkMetricsUrl);
  const running = await startWorker(container);
  container.logger.info({ taskQueue: env.TEMPORAL_TASK_QUEUE, metrics: metrics?.url }, 'worker running');
  // SIGINT/SIGTERM: the SDK runtime shuts the worker down, and `done` resolves.
  await running.done;
  await metrics?.close();
  await container.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
