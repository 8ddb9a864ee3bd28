import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import {
  ZOOM_DEAUTHORIZATION_WORKFLOW_TYPE,
  zoomDeauthorizationWorkflowId,
} from '../../src/temporal/zoom-deauthorization';
import { authorizeZoom, connectZoom } from '../support/connect-zoom';
import { useTestStack } from '../support/use-test-stack';
import { uniqueName, workflowBundle } from '../support/temporal';
import { testDataConverter } from '../support/payload-key';

const stack = useTestStack();

const events = (tutorId: string) =>
  stack.database.db('zoom_connection_events').where({ user_id: tutorId }).orderBy('id').pluck('event');

const deauthorizedEvent = (zoomUserId: string, deauthorizationTime: Date) =>
  stack.zoom.control.webhooks.event('app_deauthorized', {
    user_id: zoomUserId,
    account_id: 'a',
    user_data_retention: 'false',
    deauthorization_time: deauthorizationTime.toISOString(),
  });

const latestRun = (zoomUserId: string, deauthorizedAt: Date) =>
  stack.temporal.client.workflow
    .getHandle(zoomDeauthorizationWorkflowId(zoomUserId, deauthorizedAt.toISOString()))
    .result() as Promise<{
    tutorIds: string[];
    lessonsMoved: number;
  }>;

test('a delete whose completion is lost is retried, and the tutor still gets their lessons moved', async () => {
  const zoomUserId = await connectZoom(stack, 'tutor-lost');
  const real = createActivities(stack.container);
  const movedFor: string[] = [];
  let attempts = 0;
  const worker = await Worker.create({
    connection: stack.temporal.nativeConnection,
    namespace: stack.temporal.namespace,
    taskQueue: uniqueName('tq-deauth'),
    workflowBundle: await workflowBundle(),
    dataConverter: testDataConverter(),
    activities: {
      ...real,
      // The first attempt does all its work, then its completion is lost.
      async forgetDeauthorizedGrants(input: Parameters<typeof real.forgetDeauthorizedGrants>[0]) {
        attempts++;
        await real.forgetDeauthorizedGrants(input);
        if (Context.current().info.attempt === 1) throw new Error('completion lost');
      },
      async moveUpcomingZoomLessonsToDaily(input: { tutorId: string }) {
        movedFor.push(input.tutorId);
        return real.moveUpcomingZoomLessonsToDaily(input);
      },
    },
  });
  const result = await worker.runUntil(
    stack.temporal.client.workflow.execute(ZOOM_DEAUTHORIZATION_WORKFLOW_TYPE, {
      taskQueue: worker.options.taskQueue,
      workflowId: uniqueName('deauth-lost-completion'),
      args: [{ zoomUserId, deleteUserData: true, deauthorizedAt: new Date().toISOString() }],
    }) as Promise<{ tutorIds: string[] }>,
  );

  assert.equal(attempts, 2, 'the delete ran again after its lost completion');
  assert.deepEqual(result.tutorIds, ['tutor-lost']);
  assert.deepEqual(movedFor, ['tutor-lost'], "the tutor's upcoming lessons are still moved to Daily");
  assert.equal(await stack.container.services.tokenService.isZoomConnected('tutor-lost'), false);
  assert.deepEqual(await events('tutor-lost'), ['deauthorized'], 'user data deleted, one deauthorization');
});

test('a redelivered app_deauthorized leaves alone the connection the tutor made since', async () => {
  const zoomUserId = await connectZoom(stack, 'tutor-back');
  const deauthorizedAt = new Date();
  const deauth = deauthorizedEvent(zoomUserId, deauthorizedAt);
  assert.equal((await stack.zoom.sendWebhook(deauth, { legacyAuthorization: false })).status, 200);
  assert.deepEqual((await latestRun(zoomUserId, deauthorizedAt)).tutorIds, ['tutor-back']);
  assert.equal(await stack.container.services.tokenService.isZoomConnected('tutor-back'), false);

  await authorizeZoom(stack, 'tutor-back', zoomUserId);
  // The reconnection is refreshed too: the refresh does not make the grant look older or newer.
  await stack.database
    .db('oauth_service_tokens')
    .where({ user_id: 'tutor-back' })
    .update({ expires_at: new Date(0) });
  await stack.container.services.tokenService.getAccessToken('tutor-back');

  // Zoom retries the same (old) event, freshly signed, after we answered it slowly.
  assert.equal((await stack.zoom.sendWebhook(deauth, { legacyAuthorization: false })).status, 200);
  assert.deepEqual(
    (await latestRun(zoomUserId, deauthorizedAt)).tutorIds,
    [],
    'the redelivery finds no grant older than it',
  );
  assert.equal(await stack.container.services.tokenService.isZoomConnected('tutor-back'), true);
  assert.deepEqual(await events('tutor-back'), ['deauthorized', 'connected', 'refreshed']);
});

test('a deauthorization still deletes a grant that was refreshed after it', async () => {
  const zoomUserId = await connectZoom(stack, 'tutor-stale');
  const deauthorizedAt = new Date();
  await stack.database
    .db('oauth_service_tokens')
    .where({ user_id: 'tutor-stale' })
    .update({ expires_at: new Date(0) });
  await stack.container.services.tokenService.getAccessToken('tutor-stale');

  const deauth = deauthorizedEvent(zoomUserId, deauthorizedAt);
  assert.equal((await stack.zoom.sendWebhook(deauth, { legacyAuthorization: false })).status, 200);
  assert.deepEqual((await latestRun(zoomUserId, deauthorizedAt)).tutorIds, ['tutor-stale']);
  assert.equal(await stack.container.services.tokenService.isZoomConnected('tutor-stale'), false);
});

test('a second deauthorization while the first still runs gets a run of its own and deletes the newer grant', async () => {
  const zoomUserId = await connectZoom(stack, 'tutor-twice');
  const first = new Date(Date.now() - 60_000);
  await authorizeZoom(stack, 'tutor-twice', zoomUserId); // reconnected after the first removal
  const second = new Date();
  for (const at of [first, second])
    assert.equal(
      (await stack.zoom.sendWebhook(deauthorizedEvent(zoomUserId, at), { legacyAuthorization: false }))
        .status,
      200,
    );
  await latestRun(zoomUserId, first);
  assert.deepEqual((await latestRun(zoomUserId, second)).tutorIds, ['tutor-twice']);
  assert.equal(await stack.container.services.tokenService.isZoomConnected('tutor-twice'), false);
});
