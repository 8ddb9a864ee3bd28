import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedZoomConnections } from '../support/seed-tokens';
import { useTestStack } from '../support/use-test-stack';
import { randomDay, uniqueName } from '../support/temporal';

const stack = useTestStack();

test('a saga whose token was deleted before it ran ends `gone`, never `valid`, in its result and in visibility', async () => {
  const [tutorId] = (await seedZoomConnections(stack, 1, 'gone')) as [string];
  const { tokens } = stack.container.stores;
  const row = (await tokens.findByUser(tutorId))!;
  await tokens.takeByUser(tutorId); // the tutor disconnected between the sweep and the saga
  const handle = await stack.temporal.client.workflow.start('zoomReconnectionWorkflow', {
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueName('saga-gone'),
    args: [{ tokenId: row.id, tutorId, zoomUserId: row.uid, day: randomDay(), maxAttempts: 3 }],
  });
  assert.deepEqual(await handle.result(), { outcome: 'gone' });
  assert.deepEqual((await handle.describe()).searchAttributes.ReconnectionOutcome, ['gone']);
});

test('a token deleted between the saga’s check and its handling is `gone` too', async () => {
  const [tutorId] = (await seedZoomConnections(stack, 1, 'gone-later')) as [string];
  const { tokens } = stack.container.stores;
  const row = (await tokens.findByUser(tutorId))!;
  await tokens.takeByUser(tutorId);
  const handled = await stack.container.services.tokenSweep.handleInvalidToken({
    tokenId: row.id,
    version: row.version,
    day: randomDay(),
    maxAttempts: 3,
  });
  assert.equal(handled.outcome, 'gone');
});
