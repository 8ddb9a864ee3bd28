import { ParentClosePolicy, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import type { TokenSweepActivities } from '../activities/token-sweep';
import { ReconnectionOutcome, TutorId, ZoomUserId } from '../temporal/search-attributes';
import { zoomReconnectionWorkflowId, type SweepCounters } from './definitions/token-sweep';
import { zoomReconnectionWorkflow } from './zoom-reconnection';

type FailingToken = Awaited<ReturnType<TokenSweepActivities['validateTokenPage']>>['failing'][number];

/**
 * Starts a reconnection saga (the seed's steps 2–5) for each token that failed its check, once per
 * token and day: the sagas outlive the sweep's run (ABANDON), and a saga that failed may run again
 * when the sweep is re-run. Returns how many it started.
 */
export async function startSagas(
  failing: FailingToken[],
  sweepDate: string,
  maxAttempts: number,
  counters: SweepCounters,
): Promise<number> {
  let started = 0;
  for (const token of failing) {
    try {
      await startChild(zoomReconnectionWorkflow, {
        workflowId: zoomReconnectionWorkflowId(token.tokenId, sweepDate),
        args: [
          {
            tokenId: token.tokenId,
            tutorId: token.tutorId,
            zoomUserId: token.zoomUserId,
            day: sweepDate,
            maxAttempts,
          },
        ],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        workflowExecutionTimeout: '23 hours',
        typedSearchAttributes: [
          { key: TutorId, value: token.tutorId },
          { key: ZoomUserId, value: token.zoomUserId },
          { key: ReconnectionOutcome, value: 'pending' },
        ],
        memo: { tutorEmail: token.email ?? '' },
      });
      started += 1;
    } catch (error) {
      if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
      counters.sagasAlreadyRunning += 1; // today's saga exists: the sweep was triggered twice
    }
  }
  counters.sagasStarted += started;
  return started;
}
