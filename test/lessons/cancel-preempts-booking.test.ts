import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Worker } from '@temporalio/worker';
import { lessonWorkflowId } from '../../src/workflows/definitions/lesson';
import { startTestStack, type TestStack } from '../support/stack';
import { workflowBundle } from '../support/temporal';
import { api, booking, connectZoom, emailsFor, meetingRow, waitFor } from './lesson-helpers';

let stack: TestStack;
before(async () => (stack = await startTestStack()));
after(async () => stack?.close());

const createRoute = 'POST /v2/users/me/meetings';

test('a cancel preempts a booking retrying Zoom: cancelled before the next attempt, nothing made, nobody emailed', async () => {
  const b = booking();
  const handle = stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
  const zoomUserId = await connectZoom(stack, b.tutor.id);
  // Zoom down and asking for an hour: the booking's next attempt (and, before the patch, the
  // cancel) waits that long.
  const outage = stack.zoom.faults.add({
    route: createRoute,
    user: zoomUserId,
    status: 503,
    retryAfter: { seconds: 3600 },
  });
  const creates = () =>
    stack.zoom.requests
      .find({ method: 'POST', path: '/v2/users/me/meetings' })
      .filter((r) => r.user === zoomUserId);
  try {
    assert.equal((await api(stack).book(b)).status, 202);
    // The quick local try failed, then the regular activity's first attempt: it waits for its retry.
    await waitFor('the booking waiting for its retry', async () => {
      const [pending] = (await handle.describe()).raw.pendingActivities ?? [];
      return pending?.activityType?.name === 'createLessonMeeting' && !!pending.lastFailure;
    });
    const attempts = creates().length;
    assert.ok(attempts >= 2 && creates().every((r) => r.status === 503), `${attempts} creates, all 503`);

    assert.equal((await api(stack).cancel(b.id)).status, 202);
    await waitFor('the workflow closed', async () => (await handle.describe()).status.name !== 'RUNNING');
    assert.equal((await handle.result()).status, 'cancelled');
    assert.equal(creates().length, attempts, 'closed before any further attempt at Zoom');
    assert.ok(
      stack.zoom.faults.list().some((f) => f.id === outage),
      'closed while Zoom was still down',
    );
  } finally {
    stack.zoom.faults.remove(outage);
    await handle.terminate('test over').catch(() => undefined); // only if it is still stuck
  }

  assert.equal(await meetingRow(stack, b.id), undefined);
  assert.ok(
    !stack.zoom.meetings().some((m) => String(m.agenda ?? '').includes(`[lesson:${b.id}]`)),
    'no meeting at Zoom',
  );
  assert.ok(!stack.daily.rooms().some((r) => r.name.includes(b.id)), 'no room at Daily');
  assert.deepEqual(emailsFor(stack, b.id), [], 'nobody was told of the lesson, so nobody of its cancel');
  assert.equal((await stack.database.db('sent_emails').whereLike('idempotency_key', `${b.id}:%`)).length, 0);

  // The preempted booking records its patch, and replays deterministically.
  const history = await handle.fetchHistory();
  const markers = (history.events ?? []).flatMap((e) =>
    Object.values(e.markerRecordedEventAttributes?.details ?? {}).flatMap((d) =>
      (d.payloads ?? []).map((p) => Buffer.from(p.data ?? []).toString()),
    ),
  );
  assert.ok(markers.some((m) => m.includes('"cancel-preempts-booking"')));
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
});
