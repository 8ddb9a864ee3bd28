import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from '@temporalio/client';
import { BookingRejectedError, createBookingClient } from '../../src/client/booking-client';
import type { LessonMeetingInput } from '../../src/lessons/types';
import { useTestStack } from '../support/use-test-stack';
import { payloadText } from '../support/decode-payloads';
import {
  api,
  booking,
  emailsFor,
  HOUR,
  meetingRow,
  PATIENT_CLIENT_TIMING,
  waitFor,
} from '../lessons/lesson-helpers';

const stack = useTestStack();
const rejection = (reason: string) => (error: unknown) =>
  error instanceof BookingRejectedError && error.reason === reason;

test('the typed client books, reschedules and cancels like the HTTP API, and records the lesson rows', async () => {
  const client = createBookingClient({
    client: stack.temporal.client,
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    timing: PATIENT_CLIENT_TIMING,
  });
  const b = booking();
  assert.deepEqual(await client.book(b), { lessonId: b.id, workflowId: `lesson-meeting/${b.id}` });
  await waitFor('the row', () => meetingRow(stack, b.id));
  const lesson = await stack.database.db('lessons').where({ id: b.id }).first();
  assert.equal(lesson.tutor_id, b.tutor.id, 'the workflow recorded users and lessons itself');
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);

  const startsAt = new Date(Date.parse(b.startsAt) + HOUR).toISOString();
  const endsAt = new Date(Date.parse(startsAt) + HOUR).toISOString();
  const moved = await client.reschedule(b.id, { startsAt, endsAt, requestId: 'typed-move-1' });
  assert.equal(moved.state, 'completed', 'the Update answered within LESSON_COMMAND_WAIT_MS');
  assert.equal(moved.requestId, 'typed-move-1');
  assert.deepEqual(moved.state === 'completed' && [moved.result.startsAt, moved.result.superseded], [
    startsAt,
    false,
  ]);
  assert.equal((await client.meeting(b.id)).startsAt, startsAt, 'applied when answered');
  await assert.rejects(
    client.reschedule(b.id, { startsAt: b.startsAt, endsAt: b.endsAt, requestId: 'typed-move-1' }),
    rejection('request_id_conflict'),
    'the same requestId with other times',
  );
  assert.throws(() => client.book({ ...b, endsAt: b.startsAt }), /endsAt must be after startsAt/);
  assert.throws(
    () => client.book({ ...b, endsAt: new Date(Date.parse(b.startsAt) + 25 * HOUR).toISOString() }),
    /at most 24 hours/,
  );
  const cancelled = await client.cancel(b.id);
  assert.deepEqual(cancelled.state === 'completed' && cancelled.result.status, 'cancelled');
  assert.equal((await client.cancel('never-booked')).state, 'not-running');
});

test('the typed client refuses what HTTP refuses: a conflicting body, a lesson in the past, an ended lesson', async () => {
  const client = createBookingClient({
    client: stack.temporal.client,
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    timing: PATIENT_CLIENT_TIMING,
  });
  const b = booking();
  await client.book(b);
  await waitFor('the row', () => meetingRow(stack, b.id));
  const later = (iso: string) => new Date(Date.parse(iso) + HOUR).toISOString();
  const other = { ...b, startsAt: later(b.startsAt), endsAt: later(b.endsAt) };
  await assert.rejects(client.book(other), rejection('booking_conflict'));
  assert.equal((await api(stack).book(other)).status, 409, 'as HTTP answers');
  assert.deepEqual(await client.book(b), { lessonId: b.id, workflowId: `lesson-meeting/${b.id}` });
  assert.equal((await client.meeting(b.id)).startsAt, b.startsAt, 'the times were not changed');

  assert.throws(() => client.book(booking({}, -3)), rejection('lesson_in_past'));
  assert.throws(
    () => client.reschedule(b.id, { startsAt: booking({}, -3).startsAt, endsAt: booking({}, -3).endsAt }),
    rejection('lesson_in_past'),
  );

  assert.equal((await client.cancel(b.id)).state, 'completed');
  await stack.temporal.client.workflow.getHandle(`lesson-meeting/${b.id}`).result();
  await assert.rejects(client.book(b), rejection('lesson_ended'));
});

test("the typed client starts lessons with the service's settings, from the environment unless given", async () => {
  const inputOf = async (lessonId: string) => {
    const history = await stack.temporal.client.workflow
      .getHandle(`lesson-meeting/${lessonId}`)
      .fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    return JSON.parse(await payloadText(payload)) as LessonMeetingInput;
  };
  const saved = process.env.LESSON_GRACE_MINUTES;
  process.env.LESSON_GRACE_MINUTES = '7';
  try {
    const fromEnv = booking();
    await createBookingClient({
      client: stack.temporal.client,
      taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    }).book(fromEnv);
    assert.deepEqual((await inputOf(fromEnv.id)).settings, {
      earlyJoinMinutes: 10,
      graceMinutes: 7,
      zoomFallbackMarginMinutes: 15,
      zoomRetryFloorSeconds: 60,
    });
    const given = booking();
    await createBookingClient({
      client: stack.temporal.client,
      taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
      settings: { earlyJoinMinutes: 5 },
    }).book(given);
    assert.deepEqual((await inputOf(given.id)).settings, {
      earlyJoinMinutes: 5,
      graceMinutes: 7,
      zoomFallbackMarginMinutes: 15,
      zoomRetryFloorSeconds: 60,
    });
  } finally {
    if (saved === undefined) delete process.env.LESSON_GRACE_MINUTES;
    else process.env.LESSON_GRACE_MINUTES = saved;
  }
});

test('an HTTP booking refused (409) while the typed client’s workflow had not recorded its own: the live booking’s details win', async () => {
  const client = createBookingClient({
    client: stack.temporal.client,
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    timing: PATIENT_CLIENT_TIMING,
  });
  const live = booking();
  const refused = {
    ...live,
    startsAt: new Date(Date.parse(live.startsAt) + 3 * HOUR).toISOString(),
    endsAt: new Date(Date.parse(live.endsAt) + 3 * HOUR).toISOString(),
    tutor: { ...live.tutor, name: 'Somebody Else' },
  };
  await stack.stopWorker(); // the typed client's workflow waits: no row is recorded yet
  try {
    await client.book(live);
    assert.equal((await api(stack).book(refused)).status, 409);
  } finally {
    await stack.startWorker();
  }
  await waitFor('booked emails', async () => emailsFor(stack, live.id, 'booked').length === 2);
  const row = await stack.database.db('lessons').where({ id: live.id }).first();
  assert.equal(new Date(row.starts_at).toISOString(), live.startsAt);
  const tutor = await stack.database.db('users').where({ id: live.tutor.id }).first();
  assert.equal(tutor.name, live.tutor.name);
});

test('the typed client refuses the same characters, lengths and times as HTTP, and starts nothing', async () => {
  const client = createBookingClient({
    client: stack.temporal.client,
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    timing: PATIENT_CLIENT_TIMING,
  });
  const notStarted = (lessonId: string) =>
    assert.rejects(
      stack.temporal.client.workflow.getHandle(`lesson-meeting/${lessonId}`).describe(),
      /not found/i,
    );
  const refusals: Array<[string, ReturnType<typeof booking>, RegExp | ((e: unknown) => boolean)]> = [
    ['a bidi override in a name', booking({ title: 'Algebra \u202egnp.exe' }), /bidi/],
    ['U+0085 in a name', booking({ title: 'Algebra\u0085' }), /control/],
    [
      'a 10,000-character email',
      booking({ student: { id: 's-long', email: `${'a'.repeat(10_000)}@example.com`, name: 'S' } }),
      /254/,
    ],
    [
      'the year 9999',
      { ...booking(), startsAt: '9999-06-01T10:00:00Z', endsAt: '9999-06-01T11:00:00Z' },
      rejection('lesson_too_far'),
    ],
  ];
  for (const [what, b, expected] of refusals) {
    assert.throws(() => client.book(b), expected, what);
    await notStarted(b.id);
    assert.equal(await stack.database.db('lessons').where({ id: b.id }).first(), undefined, what);
  }
  assert.throws(() => client.cancel('bad\u0000id'), /letters, digits/);
  assert.throws(() => client.meeting('x'.repeat(65)), /letters, digits/);

  const near = createBookingClient({
    client: stack.temporal.client,
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    maxBookingHorizonDays: 1,
  });
  const b = booking(); // 48 hours ahead
  assert.throws(() => near.book(b), rejection('lesson_too_far'), 'the horizon can be given');
  await notStarted(b.id);
  assert.deepEqual(await client.book(b), { lessonId: b.id, workflowId: `lesson-meeting/${b.id}` });
  const far = new Date(Date.now() + 401 * 24 * HOUR);
  assert.throws(
    () =>
      client.reschedule(b.id, {
        startsAt: far.toISOString(),
        endsAt: new Date(far.getTime() + HOUR).toISOString(),
      }),
    rejection('lesson_too_far'),
  );
});

test("a Client without the service's codec is refused at once: it would write the people's data in clear", () => {
  const plain = new Client({ connection: stack.temporal.connection, namespace: stack.temporal.namespace });
  assert.throws(() => createBookingClient({ client: plain }), /serviceDataConverter/);
});
