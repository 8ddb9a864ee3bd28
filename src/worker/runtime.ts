import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger';
import { freePort } from '../net/free-port';

export interface RuntimeOptions {
  level?: LogLevel;
  /** Export the SDK's own metrics (task latencies, slots, polls…) for our /metrics to append. */
  metrics?: boolean;
}

/**
 * Installs the Temporal SDK runtime once per process: its logs go to our pino logger, and its
 * Prometheus metrics to a loopback port. Answers that port's /metrics URL when metrics are on.
 */
export async function installRuntime(
  logger: Logger,
  options: RuntimeOptions = {},
): Promise<string | undefined> {
  const bindAddress = options.metrics ? `127.0.0.1:${await freePort()}` : undefined;
  try {
    Runtime.install({
      logger: new DefaultLogger(options.level ?? 'WARN', ({ level, message, meta }) => {
        const method = level === 'ERROR' ? 'error' : level === 'WARN' ? 'warn' : 'debug';
        logger[method]({ ...meta, component: 'temporal-sdk' }, message);
      }),
      ...(bindAddress
        ? { telemetryOptions: { metrics: { prometheus: { bindAddress, countersTotalSuffix: true } } } }
        : {}),
    });
  } catch {
    return undefined; // already installed in this process (tests, npm start)
  }
  return bindAddress ? `http://${bindAddress}/metrics` : undefined;
}
