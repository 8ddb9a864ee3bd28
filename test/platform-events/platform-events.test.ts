import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { createOpsCommands } from '../../src/ops/commands';
import { platformEventCatalog } from '../../src/services/platform-events/event-types';
import { specOf } from '../support/openapi-validator';
import { api, booking, connectZoom, HOUR, taken, waitFor, type Booking } from '../lessons/lesson-helpers';
import { platformJwt } from '../support/browser';
import { seedZoomConnections } from '../support/seed-tokens';
import { useTestStack } from '../support/use-test-stack';
import { randomDay } from '../support/temporal';
import type { WebhookReceiver } from '../support/webhook-receiver';

/**
 * Events to the platform, end to end: the real service (worker, schedules, PostgreSQL, the
 * emulators) posts to a receiver that verifies each request with the Standard Webhooks reference
 * library (`standardwebhooks`' Webhook.verify), as the platform would. Passes run every second.
 */

let receiver: WebhookReceiver;
const stack = useTestStack({
  platformEvents: true,
  env: { FAILED_LESSONS_POLL_SECONDS: '1' },
  started: (started) => void (receiver = started.platformEvents!),
});

const delivered = (type: string, where: Record<string, unknown>) => receiver.deliveredData(type, where);

const nextDay = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 24 * HOUR).toISOString().slice(0, 10);

const meetingBody = async (lessonId: string) =>
  (await (await api(stack).meeting(lessonId)).json()) as Record<string, unknown>;

const disconnectZoom = async (tutorId: string) => {
  const jwt = await platformJwt(stack.env.PLATFORM_JWT_SECRET, tutorId, { issuedAt: stack.clock.now() });
  const res = await fetch(`${stack.api.url}/integrations/zoom`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${jwt}` },
  });
  assert.equal(res.status, 204);
};

test('the Standard Webhooks headers and body; data is the meeting body', async () => {
  const b = booking();
  await api(stack).book(b);
  const data = await delivered('lesson.meeting_ready', { lessonId: b.id });
  const request = receiver.delivered('lesson.meeting_ready', { lessonId: b.id })[0]!;
  assert.match(String(request.headers['webhook-id']), /^evt_[0-9a-f]{32}$/);
  assert.match(String(request.headers['webhook-timestamp']), /^\d{10}$/);
  assert.match(String(request.headers['webhook-signature']), /^v1,[A-Za-z0-9+/=]+$/);
  assert.equal(request.headers['content-type'], 'application/json');
  assert.deepEqual(Object.keys(JSON.parse(request.body)), ['type', 'timestamp', 'data']);
  assert.deepEqual(data, await meetingBody(b.id), 'data is the body of GET /lessons/:id/meeting');
  assert.equal(data.provider, 'daily');
});

test('a receiver answering 500 gets the same webhook-id again, with a fresh timestamp and signature, until it takes it', async () => {
  receiver.failNext(2);
  const b = booking();
  await api(stack).book(b);
  await delivered('lesson.meeting_ready', { lessonId: b.id });
  const id = String(receiver.delivered('lesson.meeting_ready', { lessonId: b.id })[0]!.headers['webhook-id']);
  const attempts = receiver.attemptsOf(id);
  assert.deepEqual(
    attempts.map((a) => a.answered),
    [500, 500, 204],
  );
  assert.ok(attempts.every((a) => a.verified));
  const signatures = new Set(attempts.map((a) => a.headers['webhook-signature']));
  const timestamps = attempts.map((a) => Number(a.headers['webhook-timestamp']));
  assert.equal(signatures.size, 3, 'each attempt is signed afresh');
  assert.ok(timestamps[2]! > timestamps[0]!, `fresh timestamps: ${timestamps.join(', ')}`);
  assert.equal(new Set(attempts.map((a) => a.body)).size, 1, 'the same body every time');
  const row = await stack.database.db('platform_events').where({ id }).first();
  assert.equal(row.attempts, 3);
  assert.ok(row.delivered_at);
});

test('Zoom and lesson events: connected, ready on Zoom, rescheduled, disconnected by the tutor, moved to Daily, cancelled', async () => {
  const b: Booking = booking();
  await connectZoom(stack, b.tutor.id);
  assert.deepEqual(await delivered('zoom.connected', { tutorId: b.tutor.id }), {
    tutorId: b.tutor.id,
    state: 'connected',
    reconnected: false,
  });
  await api(stack).book(b);
  const ready = await delivered('lesson.meeting_ready', { lessonId: b.id });
  assert.equal(ready.provider, 'zoom');
  assert.ok(String(ready.joinUrl).includes(`/meetings/${b.id}/join`));

  const startsAt = new Date(Date.parse(b.startsAt) + 2 * HOUR).toISOString();
  const endsAt = new Date(Date.parse(startsAt) + HOUR).toISOString();
  assert.equal(await taken(await api(stack).reschedule(b.id, { startsAt, endsAt })), 'taken');
  const moved = await delivered('lesson.rescheduled', { lessonId: b.id });
  assert.deepEqual([moved.startsAt, moved.endsAt, moved.provider], [startsAt, endsAt, 'zoom']);

  await disconnectZoom(b.tutor.id);
  assert.deepEqual(await delivered('zoom.disconnected', { tutorId: b.tutor.id }), {
    tutorId: b.tutor.id,
    state: 'disconnected',
    reason: 'by_tutor',
  });
  const toDaily = await delivered('lesson.moved_to_daily', { lessonId: b.id });
  assert.deepEqual([toDaily.provider, toDaily.reason], ['daily', 'zoom_disconnected']);

  assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
  const cancelled = await delivered('lesson.cancelled', { lessonId: b.id });
  assert.deepEqual([cancelled.status, cancelled.provider, cancelled.joinUrl], ['cancelled', null, null]);
  assert.deepEqual(cancelled, await meetingBody(b.id));
});

test("zoom.disconnected by Zoom's deauthorization", async () => {
  const tutorId = `tutor-deauth-${randomDay()}`;
  const zoomUserId = await connectZoom(stack, tutorId);
  await delivered('zoom.connected', { tutorId });
  const deauthorized = stack.zoom.control.webhooks.event('app_deauthorized', {
    user_id: zoomUserId,
    account_id: 'a',
    user_data_retention: 'true',
    deauthorization_time: new Date().toISOString(),
  });
  assert.equal((await stack.zoom.sendWebhook(deauthorized, { legacyAuthorization: false })).status, 200);
  assert.equal((await delivered('zoom.disconnected', { tutorId })).reason, 'deauthorized');
});

test('zoom.reconnection_needed once per failing day, with the attempt of the maximum; then disconnected by the daily check', async () => {
  const [tutorId] = (await seedZoomConnections(stack, 1, `failing-${randomDay()}`)) as [string];
  const { tokens } = stack.container.stores;
  const sweep = stack.container.services.tokenSweep;
  const token = (await tokens.findByUser(tutorId))!;
  const day1 = { tokenId: token.id, version: token.version, day: randomDay(), maxAttempts: 3 };
  await sweep.handleInvalidToken(day1);
  await sweep.handleInvalidToken(day1); // a retried saga step: no second event
  const needed = await delivered('zoom.reconnection_needed', { tutorId });
  assert.deepEqual(needed, { tutorId, state: 'reconnection_needed', attempt: 1, maxAttempts: 3 });
  await sweep.handleInvalidToken({ ...day1, day: nextDay(day1.day, 1) });
  await delivered('zoom.reconnection_needed', { tutorId, attempt: 2 });
  await sweep.handleInvalidToken({ ...day1, day: nextDay(day1.day, 2) });
  const gone = await delivered('zoom.disconnected', { tutorId });
  assert.equal(gone.reason, 'max_reconnection_attempts');
  assert.equal(receiver.delivered('zoom.reconnection_needed', { tutorId }).length, 2);
});

test('lesson.failed: a terminated lesson workflow is found through visibility and reported once', async () => {
  const b = booking();
  await api(stack).book(b);
  await delivered('lesson.meeting_ready', { lessonId: b.id });
  await stack.temporal.client.workflow
    .getHandle(lessonWorkflowId(b.id))
    .terminate('test: the lesson is lost');
  const failed = await delivered('lesson.failed', { lessonId: b.id });
  assert.equal(failed.reason, 'workflow_terminated');
  assert.equal(failed.workflowId, lessonWorkflowId(b.id));
  assert.equal(failed.status, 'booked');
  await new Promise((r) => setTimeout(r, 2500)); // two more looks find it again
  const rows = await stack.database
    .db('platform_events')
    .where({ type: 'lesson.failed' })
    .whereRaw("data->>'lessonId' = ?", [b.id]);
  assert.equal(rows.length, 1, 'reported once');

  // The platform acts: it books the lesson again, and hears it is ready, at the next version.
  assert.equal((await api(stack).book(b)).status, 202);
  const again = await delivered('lesson.meeting_ready', {
    lessonId: b.id,
    version: Number(failed.version) + 1,
  });
  assert.equal(again.meetingId, failed.meetingId, 'the meeting made before is kept');
});

test('lesson.finished when the lesson is over', async () => {
  const b = booking();
  await api(stack).book(b);
  await delivered('lesson.meeting_ready', { lessonId: b.id });
  // The workflow's last step, run at once rather than after the end plus grace (lesson-end.test.ts
  // waits for the real one).
  await stack.container.services.lessonMeetings.finishLesson(b.id);
  const finished = await delivered('lesson.finished', { lessonId: b.id });
  assert.deepEqual([finished.status, finished.joinUrl, finished.provider], ['finished', null, 'daily']);
});

test('npm run ops -- events lists an event the platform keeps refusing, and redelivers it under its webhook-id', async () => {
  const { stores, clock } = stack.container;
  receiver.failNext(1000);
  const b = booking();
  await api(stack).book(b);
  const id = await waitFor(
    'a refused attempt',
    async () =>
      receiver.received.find(
        (r) => r.payload?.type === 'lesson.meeting_ready' && r.payload.data.lessonId === b.id,
      )?.headers['webhook-id'],
  );
  // Its window ends: the next failure gives it up.
  await stack.database.db('platform_events').where({ id }).update({ deliver_until: clock.now() });
  await waitFor('given up', async () => (await stores.platformEvents.find(String(id)))?.givenUpAt);
  const lines: string[] = [];
  const ops = createOpsCommands(stack.container, (line) => lines.push(line));
  const listed = await ops.events();
  assert.ok(listed.some((e) => e.id === id));
  const line = lines.find((l) => l.startsWith(String(id))) ?? '';
  assert.match(
    line,
    /lesson\.meeting_ready .* given up .* last error: platform: POST \/platform\/events answered 500/,
  );

  receiver.failNext(0);
  assert.equal(await ops.redeliverEvent(String(id)), true);
  await waitFor('redelivered', async () => (await stores.platformEvents.find(String(id)))?.deliveredAt);
  assert.equal(receiver.attemptsOf(String(id)).at(-1)?.answered, 204);
  assert.ok(!(await ops.events()).some((e) => e.id === id), 'no longer listed');
  assert.equal(await ops.redeliverEvent('evt_unknown'), false);
});

test('every request of this file passed the reference verification, and fits its event in the OpenAPI webhooks', async () => {
  assert.ok(receiver.received.length > 10);
  for (const r of receiver.received) assert.equal(r.verified, true, `${r.error} for ${r.body}`);
  const document = (await (await fetch(`${stack.api.url}/openapi.json`)).json()) as {
    webhooks: Record<string, { post: { requestBody: { content: Record<string, { schema: object }> } } }>;
  };
  assert.deepEqual(Object.keys(document.webhooks).sort(), Object.keys(platformEventCatalog).sort());
  const { ajv } = specOf(document);
  const seen = new Set<string>();
  for (const r of receiver.received) {
    const type = r.payload!.type;
    seen.add(type);
    const validate = ajv.compile(
      document.webhooks[type]!.post.requestBody.content['application/json']!.schema,
    );
    assert.ok(validate(JSON.parse(r.body)), `${type}: ${JSON.stringify(validate.errors)}`);
  }
  assert.deepEqual([...seen].sort(), Object.keys(platformEventCatalog).sort(), 'every event type was sent');
});
