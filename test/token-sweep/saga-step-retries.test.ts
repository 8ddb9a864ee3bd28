import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { seedZoomConnections } from '../support/seed-tokens';
import { useTestStack } from '../support/use-test-stack';
import { randomDay, uniqueName, workflowBundle } from '../support/temporal';
import { testDataConverter } from '../support/payload-key';

const stack = useTestStack({ worker: false });

/** A tutor on their last failing day: two attempts counted, and Zoom refuses the refresh token. */
async function failingOnLastDay(prefix: string) {
  const [tutorId] = (await seedZoomConnections(stack, 1, prefix)) as [string];
  const { tokens } = stack.container.stores;
  const token = (await tokens.findByUser(tutorId))!;
  stack.zoom.revokeToken(token.refreshToken);
  await stack.database
    .db('oauth_service_tokens')
    .where({ id: token.id })
    .update({ reconnection_attempts: 2, expires_at: new Date(0) });
  return { tutorId, token };
}

test('the deletion step retried after it deleted answers deleted again', async () => {
  const { tutorId, token } = await failingOnLastDay('retry-step');
  const input = { tokenId: token.id, version: token.version, day: randomDay(), maxAttempts: 3 };
  const validation = stack.container.services.tokenSweep;
  const first = await validation.handleInvalidToken(input);
  const retry = await validation.handleInvalidToken(input);
  assert.deepEqual(first, { outcome: 'deleted', attempts: 3, tutorId });
  assert.deepEqual(retry, first);
  const deleted = await stack.database
    .db('zoom_connection_events')
    .where({ user_id: tutorId, event: 'deleted' });
  assert.equal(deleted.length, 1);
});

test('a saga whose deletion step lost its completion still moves the tutor’s lessons to Daily', async () => {
  const { tutorId, token } = await failingOnLastDay('retry-saga');
  const real = createActivities(stack.container);
  let deletionTries = 0;
  const moved: string[] = [];
  const taskQueue = uniqueName('saga-retry');
  const worker = await Worker.create({
    connection: stack.temporal.nativeConnection,
    namespace: stack.env.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowBundle: await workflowBundle(),
    dataConverter: testDataConverter(),
    activities: {
      ...real,
      // The first try does all its work, then its completion is lost (a crash, a timeout).
      async handleInvalidToken(input: Parameters<typeof real.handleInvalidToken>[0]) {
        const result = await real.handleInvalidToken(input);
        if (++deletionTries === 1) throw new Error('worker lost before completing');
        return result;
      },
      async moveUpcomingZoomLessonsToDaily(input: { tutorId: string }) {
        moved.push(input.tutorId);
        return real.moveUpcomingZoomLessonsToDaily(input);
      },
    },
  });
  const result = await worker.runUntil(
    stack.temporal.client.workflow.execute('zoomReconnectionWorkflow', {
      taskQueue,
      workflowId: uniqueName('saga-retry'),
      args: [{ tokenId: token.id, tutorId, zoomUserId: token.uid, day: randomDay(), maxAttempts: 3 }],
    }),
  );
  assert.equal(deletionTries, 2);
  assert.deepEqual(result, { outcome: 'deleted', attempts: 3, tutorId });
  assert.deepEqual(moved, [tutorId]);
});
