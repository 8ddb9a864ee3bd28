import { NativeConnection, type Worker } from '@temporalio/worker';
import { createActivities } from './activities';
import { loadServiceEnv } from './config/service-env';
import { createContainer, type Container } from './container';
import { serveMetricsIfConfigured } from './observability/metrics-server';
import { installRuntime } from './worker/runtime';
import { registerNamespace } from './temporal/register-namespace';
import { createWorker } from './worker/create-worker';
import { serviceDataConverter } from './temporal/data-converter';
import { scheduleOptions } from './schedule/token-sweep-schedule';
import { ensureScheduleAtStart } from './schedule/ensure-at-start';
import { ensurePassSchedule, passSchedules } from './schedule/pass-schedules';

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
  for (const pass of passSchedules(env))
    await ensurePassSchedule(container.temporal.client, pass, env.TEMPORAL_TASK_QUEUE);
  const connection = await NativeConnection.connect({ address: env.TEMPORAL_ADDRESS });
  const worker = await createWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    activities: createActivities(container),
    dataConverter: serviceDataConverter(env),
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
