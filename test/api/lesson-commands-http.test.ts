import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  PATIENT_COMMANDS,
  booking,
  emailsFor,
  HOUR,
  meetingRow,
  waitFor,
  waitForLessonIdle,
} from '../lessons/lesson-helpers';
import { specOf, validateResponse, type Spec } from '../support/openapi-validator';
import { useTestStack } from '../support/use-test-stack';

/**
 * POST /lessons/:id/reschedule and /cancel over the Updates, against the real dev server and
 * worker: 200 with the result in time, 202 when it is not applied in time, or when no worker takes
 * it (the signal carries it), and
 * requestIds (body or Idempotency-Key) applied once.
 */
let spec: Spec;
/** These tests assert the 200, so they wait longer than 3 s; the no-worker test waits it out once. */
const WAIT_MS = Number(PATIENT_COMMANDS.LESSON_COMMAND_WAIT_MS);
/** Daily's latency in the 202 test outlasts the wait, not the provider's timeout. */
const SLOW_DAILY_MS = WAIT_MS + 1500;
const stack = useTestStack({
  env: { ...PATIENT_COMMANDS, DAILY_TIMEOUT_MS: String(SLOW_DAILY_MS + 5000) },
  started: async (started) => {
    spec = specOf(await (await fetch(`${started.api.url}/openapi.json`)).json());
  },
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${stack.api.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${stack.env.BOOKING_API_TOKEN}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** The answer's status and body, checked against the route's OpenAPI answer for that status. */
async function answered(
  res: Response,
  template: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = (await res.json()) as Record<string, unknown>;
  assert.deepEqual(
    validateResponse(spec, 'POST', template, res.status, body),
    [],
    `${template} ${res.status}`,
  );
  return { status: res.status, body };
}
const reschedule = async (id: string, body: unknown, headers?: Record<string, string>) =>
  answered(await post(`/lessons/${id}/reschedule`, body, headers), '/lessons/{id}/reschedule');
const cancel = async (id: string, body: unknown, headers?: Record<string, string>) =>
  answered(await post(`/lessons/${id}/cancel`, body, headers), '/lessons/{id}/cancel');

const moved = (b: { startsAt: string }, hours: number) => {
  const startsAt = new Date(Date.parse(b.startsAt) + hours * HOUR);
  return { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + HOUR).toISOString() };
};
const lessonRow = (id: string) => stack.container.stores.lessons.find(id);

async function bookedLesson() {
  const b = booking();
  const res = await post('/lessons', b);
  assert.equal(res.status, 202, await res.clone().text());
  await waitFor('the meeting', () => meetingRow(stack, b.id));
  return b;
}

test('a reschedule answers 200 with the Update result and the links; its requestId again is answered alike, with other times 409', async () => {
  const b = await bookedLesson();
  const times = moved(b, 2);
  const first = await reschedule(b.id, { ...times, requestId: 'move-1' });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const row = await meetingRow(stack, b.id);
  assert.deepEqual(first.body, {
    lessonId: b.id,
    workflowId: `lesson-meeting/${b.id}`,
    requestId: 'move-1',
    provider: row?.provider,
    meetingId: row?.meetingId,
    startsAt: times.startsAt,
    endsAt: times.endsAt,
    version: (await lessonRow(b.id))?.version,
    superseded: false,
    joinUrl: row?.joinUrl,
    participantJoinUrl: row?.participantJoinUrl,
  });
  assert.equal((await lessonRow(b.id))?.startsAt.toISOString(), times.startsAt, 'applied when answered');

  await waitForLessonIdle(stack, b.id);
  assert.equal(emailsFor(stack, b.id, 'rescheduled').length, 2, 'moved and emailed once');
  const again = await reschedule(b.id, { ...times, requestId: 'move-1' });
  assert.deepEqual([again.status, again.body], [200, first.body], 'a retried job gets the same answer');
  const conflict = await reschedule(b.id, { ...moved(b, 5), requestId: 'move-1' });
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.error, 'request_id_conflict');
  assert.equal((await lessonRow(b.id))?.version, first.body.version, 'nothing else applied');
  assert.equal(emailsFor(stack, b.id, 'rescheduled').length, 2, 'the repeat emailed nobody');
});

test('the Idempotency-Key header is the requestId when the body has none; a bad one is a 400 naming it', async () => {
  const b = await bookedLesson();
  const times = moved(b, 3);
  const first = await reschedule(b.id, times, { 'idempotency-key': 'job-77' });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.requestId, 'job-77');
  const asBody = await reschedule(b.id, { ...times, requestId: 'job-77' });
  assert.deepEqual(asBody.body, first.body, 'the header and the body field are one id');
  assert.equal((await reschedule(b.id, moved(b, 6), { 'idempotency-key': 'job-77' })).status, 409);

  const bad = await reschedule(b.id, moved(b, 6), { 'idempotency-key': 'x'.repeat(65) });
  assert.equal(bad.status, 400);
  assert.deepEqual(Object.keys(bad.body.errors as object), ['headers.idempotency-key']);
  const made = await reschedule(b.id, { ...moved(b, 4), requestId: null });
  assert.equal(made.status, 200);
  assert.match(String(made.body.requestId), /^[0-9a-f-]{36}$/, 'without one, one is made up and answered');
});

test('a cancel answers 200 with the result; PHP’s empty array is no body', async () => {
  const b = await bookedLesson();
  const done = await cancel(b.id, '[]');
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.equal(done.body.status, 'cancelled');
  assert.equal(done.body.version, (await lessonRow(b.id))?.version);
  assert.equal((await lessonRow(b.id))?.status, 'cancelled');
  const moveAfter = await reschedule(b.id, moved(b, 2));
  assert.equal(moveAfter.status, 409, 'a cancelled lesson is not moved');
  await waitFor('cancelled emails', async () => emailsFor(stack, b.id, 'cancelled').length === 2);
});

const signalsTo = async (id: string) =>
  (
    (await stack.temporal.client.workflow.getHandle(`lesson-meeting/${id}`).fetchHistory()).events ?? []
  ).filter((e) => e.workflowExecutionSignaledEventAttributes).length;

test('a reschedule the workflow takes but has not applied within LESSON_COMMAND_WAIT_MS answers 202 (no signal), and is applied once', async () => {
  const b = await bookedLesson();
  await waitForLessonIdle(stack, b.id);
  const before = await lessonRow(b.id);
  const signalsBefore = await signalsTo(b.id);
  const times = moved(b, 2);
  // The quick local try fails at once, so the workflow task that accepts the Update completes (a
  // local activity running would hold it); the retry, a regular activity, answers after the wait.
  const route = 'POST /v1/rooms/:name';
  const faults = [
    stack.daily.faults.add({ route, status: 503, firstN: 1 }),
    stack.daily.faults.add({ route, latencyMs: SLOW_DAILY_MS, firstN: 1 }),
  ];
  const startedAt = Date.now();
  const answer = await reschedule(b.id, { ...times, requestId: 'slow-1' });
  const tookMs = Date.now() - startedAt;
  assert.equal(answer.status, 202, JSON.stringify(answer.body));
  assert.deepEqual(answer.body, {
    lessonId: b.id,
    workflowId: `lesson-meeting/${b.id}`,
    requestId: 'slow-1',
  });
  assert.ok(tookMs >= WAIT_MS && tookMs < SLOW_DAILY_MS, `answered after ${tookMs} ms`);
  assert.equal(
    emailsFor(stack, b.id, 'rescheduled').length,
    0,
    'not done when answered: Daily was still moving it',
  );

  await waitFor('moved', async () => (await lessonRow(b.id))?.startsAt.toISOString() === times.startsAt);
  await waitForLessonIdle(stack, b.id);
  for (const fault of faults) stack.daily.faults.remove(fault);
  assert.equal((await lessonRow(b.id))?.version, (before?.version ?? 0) + 1, 'applied once');
  assert.equal(emailsFor(stack, b.id, 'rescheduled').length, 2);
  assert.equal(await signalsTo(b.id), signalsBefore, 'the Update carried it: no signal was sent');
});

test('with no worker, a reschedule is sent as the signal under the same requestId (202), and applied once when workers return', async () => {
  const b = await bookedLesson();
  const before = await lessonRow(b.id);
  const times = moved(b, 2);
  await stack.stopWorker();
  let answer;
  let tookMs = 0;
  try {
    const startedAt = Date.now();
    answer = await reschedule(b.id, { ...times, requestId: 'offline-1' });
    tookMs = Date.now() - startedAt;
  } finally {
    await stack.startWorker();
  }
  assert.equal(answer.status, 202, JSON.stringify(answer.body));
  assert.deepEqual(answer.body, {
    lessonId: b.id,
    workflowId: `lesson-meeting/${b.id}`,
    requestId: 'offline-1',
  });
  assert.ok(tookMs >= WAIT_MS && tookMs < WAIT_MS + 3000, `answered after ${tookMs} ms`);
  // The Update the server still held and the signal both reach the workflow: applied once.
  await waitFor('moved', async () => (await lessonRow(b.id))?.startsAt.toISOString() === times.startsAt);
  await waitForLessonIdle(stack, b.id);
  assert.equal((await lessonRow(b.id))?.version, (before?.version ?? 0) + 1, 'applied once');
  assert.equal(emailsFor(stack, b.id, 'rescheduled').length, 2);
  const repeat = await reschedule(b.id, { ...times, requestId: 'offline-1' });
  assert.equal(repeat.status, 200, 'the repeat learns the result');
  assert.equal(repeat.body.version, (before?.version ?? 0) + 1);
});

test('a cancel without a body is accepted, as before', async () => {
  const b = await bookedLesson();
  const res = await fetch(`${stack.api.url}/lessons/${b.id}/cancel`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.env.BOOKING_API_TOKEN}` },
  });
  assert.equal(res.status, 200, await res.clone().text());
});
