import type { Context } from '@temporalio/activity';
import type { ActivityExecuteInput, ActivityInboundCallsInterceptor, Next } from '@temporalio/worker';
import type { Logger } from '../logger';
import { idsOf, withLogContext } from './log-context';

type Execute = Next<ActivityInboundCallsInterceptor, 'execute'>;

/**
 * Every log line written while an activity runs carries its workflow, type, attempt and the
 * lesson/tutor/token it works on, so that one search follows a lesson across processes. Each
 * attempt's end is logged too: failures at warn, since Temporal retries them.
 */
export function activityLogContext(logger: Logger) {
  return (context: Context): { inbound: ActivityInboundCallsInterceptor } => ({
    inbound: {
      execute: (input: ActivityExecuteInput, next: Execute) => {
        const { info } = context;
        const fields = {
          workflowId: info.workflowExecution?.workflowId,
          workflowType: info.workflowType,
          activityType: info.activityType,
          attempt: info.attempt,
          ...idsOf(input.args[0]),
        };
        return withLogContext(fields, async () => {
          const started = performance.now();
          try {
            const result: unknown = await next(input);
            logger.debug({ ms: Math.round(performance.now() - started) }, 'activity completed');
            return result;
          } catch (error) {
            logger.warn({ err: error, ms: Math.round(performance.now() - started) }, 'activity failed');
            throw error;
          }
        });
      },
    },
  });
}
