import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { startTestStack, type TestStack } from '../support/stack';
import { workflowBundle } from '../support/temporal';
import { api, booking, connectZoom, emailsFor, HOUR, meetingRow, waitFor } from './lesson-helpers';

let stack: TestStack;
// Zoom's calls may take 9 s here (the last test), longer than the usual test timeout of 3 s.
before(async () => (stack = await startTestStack({ env: { ZOOM_TIMEOUT_MS: '15000' } })));
after(async () => stack?.close());

const createRoute = 'POST /v2/users/me/meetings';
const { PendingActivityState, EventType } = temporal.api.enums.v1;

/** The creates (POST) or marker lookups (GET) of this tutor's meetings that reached Zoom. */
const zoomCalls = (method: 'POST' | 'GET', zoomUserId: string) =>
  stack.zoom.requests.find({ method, path: '/v2/users/me/meetings' }).filter((r) => r.user === zoomUserId);

/** The texts of a history's markers: patch ids, local activities' data. */
const markersOf = (history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>>): string[] =>
  (history.events ?? []).flatMap((e) =>
    Object.values(e.markerRecordedEventAttributes?.details ?? {}).flatMap((d) =>
      (d.payloads ?? []).map((p) => Buffer.from(p.data ?? []).toString()),
    ),
  );

/** Nothing left of the lesson: no row, no meeting at Zoom or Daily, and not one email. */
async function nothingLeft(lessonId: string): Promise<void> {
  assert.equal(await meetingRow(stack, lessonId), undefined);
  assert.ok(
    !stack.zoom.meetings().some((m) => String(m.agenda ?? '').includes(`[lesson:${lessonId}]`)),
    'no meeting at Zoom',
  );
  assert.ok(!stack.daily.rooms().some((r) => r.name.includes(lessonId)), 'no room at Daily');
  assert.deepEqual(emailsFor(stack, lessonId), [], 'nobody was told of the lesson, so nobody of its cancel');
  const ledger = await stack.database.db('sent_emails').whereLike('idempotency_key', `${lessonId}:%`);
  assert.equal(ledger.length, 0);
}

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
  const creates = () => zoomCalls('POST', zoomUserId);
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
  await nothingLeft(b.id);

  // The preempted booking records its patch, and replays deterministically.
  const history = await handle.fetchHistory();
  assert.ok(markersOf(history).some((m) => m.includes('"cancel-preempts-booking"')));
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
});

test('a cancel during a create attempt still running waits for it, then deletes the meeting it made', async () => {
  const b = booking();
  const handle = stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
  const zoomUserId = await connectZoom(stack, b.tutor.id);
  // The quick try is refused; the first retried attempt takes 2 s, then makes the meeting.
  const refused = stack.zoom.faults.add({ route: createRoute, user: zoomUserId, status: 503, firstN: 1 });
  const slow = stack.zoom.faults.add({ route: createRoute, user: zoomUserId, latencyMs: 2000, firstN: 1 });
  try {
    assert.equal((await api(stack).book(b)).status, 202);
    await waitFor('the retried create running', async () => {
      const [pending] = (await handle.describe()).raw.pendingActivities ?? [];
      return pending?.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
    });
    assert.equal((await api(stack).cancel(b.id)).status, 202);
    assert.equal((await handle.result()).status, 'cancelled');
  } finally {
    stack.zoom.faults.remove(refused);
    stack.zoom.faults.remove(slow);
  }
  assert.deepEqual(
    zoomCalls('POST', zoomUserId).map((r) => r.status),
    [503, 201],
    'the running attempt made its meeting',
  );
  await nothingLeft(b.id);
});

test('a cancel that comes during the quick try, which then fails: the retries never begin', async () => {
  const b = booking();
  const handle = stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
  const zoomUserId = await connectZoom(stack, b.tutor.id);
  // Slow enough that the worker heartbeats the workflow task (at 8 of its 10 s), which hands the
  // workflow the cancel while the quick try still runs; then refused, as any later try would be.
  const slowRefusal = stack.zoom.faults.add({
    route: createRoute,
    user: zoomUserId,
    status: 503,
    latencyMs: 9000,
    firstN: 1,
  });
  const outage = stack.zoom.faults.add({ route: createRoute, user: zoomUserId, status: 503 });
  try {
    assert.equal((await api(stack).book(b)).status, 202);
    await waitFor('the quick try at Zoom', async () => zoomCalls('GET', zoomUserId).length > 0);
    assert.equal((await api(stack).cancel(b.id)).status, 202);
    assert.equal((await handle.result()).status, 'cancelled');
  } finally {
    stack.zoom.faults.remove(slowRefusal);
    stack.zoom.faults.remove(outage);
  }
  const history = await handle.fetchHistory();
  const types = (history.events ?? []).map((e) => e.eventType);
  assert.ok(!types.includes(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED), 'no retried create was scheduled');
  assert.equal(zoomCalls('POST', zoomUserId).length, 1);
  assert.ok(markersOf(history).some((m) => m.includes('"cancel-preempts-booking"')));
  await nothingLeft(b.id);
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
});

test("a cancel preempts a booking's Daily step waiting out Daily's Retry-After, past Zoom's deadline", async () => {
  const MINUTE = 60_000;
  // Zoom gets one minute, the least there is; then the Daily step, whose retry waits an hour.
  const b = booking({}, (stack.env.ZOOM_FALLBACK_MARGIN_MINUTES * MINUTE + MINUTE) / HOUR);
  const handle = stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
  const zoomUserId = await connectZoom(stack, b.tutor.id);
  const zoomDown = stack.zoom.faults.add({ route: createRoute, user: zoomUserId, status: 503 });
  const dailyDown = stack.daily.faults.add({
    route: 'POST /v1/rooms',
    status: 503,
    retryAfter: { seconds: 3600 },
  });
  const roomCreates = () =>
    stack.daily.requests.find({ method: 'POST', path: '/v1/rooms' }).filter((r) => r.body.includes(b.id));
  try {
    assert.equal((await api(stack).book(b)).status, 202);
    // The Daily step (a local activity) was refused and waits for its retry on a workflow timer.
    await waitFor(
      'the Daily step waiting for its retry',
      async () => {
        const events = (await handle.fetchHistory()).events ?? [];
        const timer = events.at(-1)?.timerStartedEventAttributes;
        return roomCreates().length > 0 && Number(timer?.startToFireTimeout?.seconds ?? 0) >= 3000;
      },
      2 * MINUTE,
    );
    const attempts = roomCreates().length;
    assert.equal((await api(stack).cancel(b.id)).status, 202);
    await waitFor('the workflow closed', async () => (await handle.describe()).status.name !== 'RUNNING');
    assert.equal((await handle.result()).status, 'cancelled');
    assert.equal(roomCreates().length, attempts, 'closed before any further attempt at Daily');
  } finally {
    stack.zoom.faults.remove(zoomDown);
    stack.daily.faults.remove(dailyDown);
    await handle.terminate('test over').catch(() => undefined); // only if it is still stuck
  }
  await nothingLeft(b.id);
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory());
});
