import { startApi } from '../api/server';
import { parseEnv } from '../config/parse-env';
import { serviceEnv } from '../config/service-env';
import { createContainer } from '../container';
import { migrateLatest } from '../db/knex';
import { startWorker } from '../worker';
import { serveMetricsIfConfigured } from '../observability/metrics-server';
import { installRuntime } from '../worker/runtime';

/**
 * The service half of `npm start`: migrations, the worker and the API in this process. A bad setting
 * throws its ConfigError rather than exiting, so that `npm start` stops what it started first.
 */
export async function runStack(
  processEnv: NodeJS.ProcessEnv,
  note: (line: string) => void,
): Promise<{ apiUrl: string; stop(): Promise<void> }> {
  const env = parseEnv(serviceEnv, processEnv);
  const container = await createContainer(env);
  const sdkMetricsUrl = await installRuntime(container.logger, { metrics: env.METRICS_PORT !== undefined });
  const metrics = await serveMetricsIfConfigured(container, sdkMetricsUrl);
  const applied = await migrateLatest(container.db);
  if (applied.length) note(`Migrated: ${applied.join(', ')}`);
  const worker = await startWorker(container);
  const api = await startApi(container, env.PORT, '127.0.0.1');
  return {
    apiUrl: api.url,
    stop: async () => {
      await api.close();
      await worker.shutdown();
      await metrics?.close();
      await container.close();
    },
  };
}
