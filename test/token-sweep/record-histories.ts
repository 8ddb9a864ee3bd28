// Records sweep and saga histories for test/token-sweep/replay.test.ts, through the test runner
// (it starts PostgreSQL and Temporal):   npm test -- test/token-sweep/record-histories.ts
// RECORD_ONLY=saga|sweep records one of them; RECORD_SUFFIX names the files of a new version.
// Keep every recorded version: each is replayed, so a change that breaks running sweeps fails there.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { seedZoomConnections } from '../support/seed-tokens';
import { startTestStack, type TestStack } from '../support/stack';
import { randomDay, uniqueName } from '../support/temporal';

/** Saves the first run's history (a sweep may continue as new). */
async function save(
  stack: TestStack,
  handle: WorkflowHandleWithFirstExecutionRunId,
  base: string,
): Promise<void> {
  await handle.result().catch(() => undefined);
  const firstRun = stack.temporal.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
  const history = await firstRun.fetchHistory();
  const name = `${base}${process.env.RECORD_SUFFIX ?? ''}.json`;
  writeFileSync(resolve(__dirname, 'histories', name), JSON.stringify(history));
  console.log(`${name}: ${history.events?.length} events`);
}

/** A saga whose token was deleted before it ran. */
async function sagaOfGoneToken(stack: TestStack): Promise<void> {
  const handle = await stack.temporal.client.workflow.start('zoomReconnectionWorkflow', {
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueName('saga-gone'),
    args: [{ tokenId: '999999999', tutorId: 'gone', zoomUserId: 'gone', day: randomDay(), maxAttempts: 3 }],
  });
  await save(stack, handle, 'saga-token-gone');
}

/** A sweep through a Zoom outage of twelve rounds, on pages of 10 tokens. */
async function sweepThroughOutage(stack: TestStack): Promise<void> {
  await stack.database.db('oauth_service_tokens').delete();
  await seedZoomConnections(stack, 10, 'replay-outage');
  stack.zoom.faults.add({ route: 'GET /v2/users/me', status: 503, firstN: 12 * 30 });
  const handle = await stack.temporal.client.workflow.start('tokenSweepWorkflow', {
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueName('sweep-outage'),
    args: [
      {
        sweepDate: randomDay(),
        settings: { pageSize: 10, concurrency: 5, maxAttempts: 3, outagePauseMs: 100 },
      },
    ],
  });
  await save(stack, handle, 'sweep-outage-12-rounds');
  stack.zoom.faults.clear();
}

async function main(): Promise<void> {
  const stack = await startTestStack();
  try {
    const only = process.env.RECORD_ONLY;
    if (!only || only === 'saga') await sagaOfGoneToken(stack);
    if (!only || only === 'sweep') await sweepThroughOutage(stack);
  } finally {
    await stack.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
