import { randomInt } from 'node:crypto';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import { zoomReconnectionWorkflowId } from '../../../src/workflows/definitions/token-sweep';
import { seedZoomConnections } from '../seed-tokens';
import type { TestStack } from '../stack';
import { uniqueName } from '../temporal';

/** The README's filter for failed reconnections in the Temporal UI (a test keeps the two equal). */
export const FAILED_RECONNECTIONS_QUERY =
  'WorkflowType = "zoomReconnectionWorkflow" AND (ExecutionStatus = "Failed" OR ReconnectionOutcome = "deleted")';

export interface ReconnectionRuns {
  day: string;
  sagasStarted: number;
  /** Zoom answered 503 all day: the saga fails at the day's end. */
  failed: WorkflowExecutionDescription;
  /** Third failing day: the token is deleted. */
  deleted: WorkflowExecutionDescription;
  /** First failing day: a reminder only, which the filter leaves out. */
  reminded: WorkflowExecutionDescription;
}

/**
 * A past day (so the saga's validation deadline, the day's end, is its 60 s minimum) that no
 * earlier run on a long-lived dev server used: saga ids carry the token id and the day.
 */
function randomPastDay(): string {
  return new Date(Date.now() - randomInt(30, 1500) * 86_400_000).toISOString().slice(0, 10);
}

async function settle(stack: TestStack, workflowId: string): Promise<WorkflowExecutionDescription> {
  const handle = stack.temporal.client.workflow.getHandle(workflowId);
  await handle.result().catch(() => undefined); // a failed run is one of the outcomes wanted
  return handle.describe();
}

/**
 * The real path to failed reconnections, as the 08:30 schedule would take it: tutors' tokens
 * in the database, Zoom misbehaving for some of them, one sweep, and the sagas it starts. Resolves
 * when every saga has closed; the one Zoom keeps failing takes about a minute (its day's end).
 */
export async function runReconnectionOutcomes(stack: TestStack): Promise<ReconnectionRuns> {
  const [fine, unreachable, lastDay, firstDay] = await seedZoomConnections(stack, 4, uniqueName('tutor'));
  const tokens = stack.container.stores.tokens;
  const rowOf = async (tutorId: string | undefined) => {
    const row = await tokens.findByUser(tutorId as string);
    if (!row) throw new Error(`no token was seeded for ${tutorId}`);
    return row;
  };
  const [unreachableRow, lastDayRow, firstDayRow] = await Promise.all([
    rowOf(unreachable),
    rowOf(lastDay),
    rowOf(firstDay),
  ]);
  void fine; // stays valid: no saga

  stack.zoom.faults.add({ route: 'GET /v2/users/me', user: unreachableRow.uid, status: 503 });
  stack.zoom.deleteUser(lastDayRow.uid);
  stack.zoom.deleteUser(firstDayRow.uid);
  await stack.database
    .db('oauth_service_tokens')
    .where({ id: lastDayRow.id })
    .update({ reconnection_attempts: 2 });

  const day = randomPastDay();
  const summary = await stack.temporal.client.workflow.execute('tokenSweepWorkflow', {
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueName(`sweep-${day}`),
    args: [{ sweepDate: day, settings: { pageSize: 10, concurrency: 4, maxAttempts: 3 } }],
  });
  const sagaOf = (row: { id: string }) => settle(stack, zoomReconnectionWorkflowId(row.id, day));
  const [failed, deleted, reminded] = await Promise.all([
    sagaOf(unreachableRow),
    sagaOf(lastDayRow),
    sagaOf(firstDayRow),
  ]);
  stack.zoom.faults.clear();
  return { day, sagasStarted: summary.sagasStarted, failed, deleted, reminded };
}
