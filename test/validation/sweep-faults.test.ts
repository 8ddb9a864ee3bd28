import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { createOpsCommands } from '../../src/ops/commands';
import { seedZoomConnections } from '../support/seed-tokens';
import { startTestStack, type TestStack } from '../support/stack';
import { randomDay, uniqueName } from '../support/temporal';

let stack: TestStack;
before(async () => (stack = await startTestStack()));
after(async () => stack?.close());

test('a Zoom outage over most of a page pauses the sweep and retries the page, starting no sagas', async () => {
  await stack.database.db('oauth_service_tokens').delete();
  await seedZoomConnections(stack, 10, 'outage');
  stack.zoom.faults.add({ route: 'GET /v2/users/me', status: 503, firstN: 30 }); // 10 tokens × 3 in-place tries
  const summary = await stack.temporal.client.workflow.execute('tokenSweepWorkflow', {
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueName('sweep-outage'),
    args: [
      {
        sweepDate: randomDay(),
        settings: { pageSize: 10, concurrency: 5, maxAttempts: 3, outagePauseMs: 500 },
      },
    ],
  });
  stack.zoom.faults.clear();
  assert.equal(summary.outagePauses, 1);
  assert.equal(summary.sagasStarted, 0, 'an outage burns nobody’s attempts');
  assert.equal(summary.valid, 10);
});

test(
  'a saga still failing transiently at the day’s end fails, visibly, and counts nothing',
  { timeout: 120_000 },
  async () => {
    await stack.database.db('oauth_service_tokens').delete();
    const [tutorId] = await seedZoomConnections(stack, 1, 'dayend');
    const row = await stack.container.services.tokenService.tokens.findByUser(tutorId as string);
    stack.zoom.faults.add({ route: 'GET /v2/users/me', status: 503 });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const handle = await stack.temporal.client.workflow.start('zoomReconnectionWorkflow', {
      taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
      workflowId: uniqueName('saga-dayend'),
      args: [
        {
          tokenId: row!.id,
          tutorId: tutorId as string,
          zoomUserId: row!.uid,
          day: yesterday,
          maxAttempts: 3,
        },
      ],
    });
    await assert.rejects(handle.result(), WorkflowFailedError);
    stack.zoom.faults.clear();
    const described = await handle.describe();
    assert.equal(described.status.name, 'FAILED');
    assert.deepEqual(described.searchAttributes.ReconnectionOutcome, ['failed']);
    assert.equal(
      (await stack.container.services.tokenService.tokens.findByUser(tutorId as string))!
        .reconnectionAttempts,
      0,
    );
    assert.equal(stack.sendgrid.outbox().filter((m) => m.to.includes(`${tutorId}@example.com`)).length, 0);
  },
);

test('ops pauses and unpauses the schedule', async () => {
  const lines: string[] = [];
  const ops = createOpsCommands(stack.container, (line) => lines.push(line));
  await ops.ensureSchedule();
  await ops.unpause();
  const handle = stack.temporal.client.schedule.getHandle(stack.env.VALIDATION_SCHEDULE_ID);
  assert.equal((await handle.describe()).state.paused, false);
  await ops.pause('maintenance');
  const paused = await handle.describe();
  assert.equal(paused.state.paused, true);
  assert.equal(paused.state.note, 'maintenance');
});
