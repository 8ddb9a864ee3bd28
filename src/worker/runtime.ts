import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger';

/** Routes the Temporal SDK's own logs into our pino logger (once per process). */
export function installRuntimeLogger(logger: Logger, level: LogLevel = 'WARN'): void {
  try {
    Runtime.install({
      logger: new DefaultLogger(level, ({ level: entryLevel, message, meta }) => {
        const method = entryLevel === 'ERROR' ? 'error' : entryLevel === 'WARN' ? 'warn' : 'debug';
        logger[method]({ ...meta, component: 'temporal-sdk' }, message);
      }),
    });
  } catch {
    // already installed in this process (tests, npm start)
  }
}
