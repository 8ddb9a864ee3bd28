import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBookingClient } from '../../src/client/booking-client';
import {
  api,
  HOUR,
  meetingRow,
  PATIENT_CLIENT_TIMING,
  PATIENT_COMMANDS,
  waitFor,
} from '../lessons/lesson-helpers';
import { specOf, validateResponse, type Spec } from '../support/openapi-validator';
import { useTestStack } from '../support/use-test-stack';

/**
 * What a Laravel platform sends, end to end: integer ids (answered as strings), `null` for absent
 * optional fields, PHP's DATE_ISO8601 offsets (+0000); and what it reads back: the booking's join
 * links at once, and Laravel's `errors` object beside `issues`.
 */
let spec: Spec;
const stack = useTestStack({
  env: PATIENT_COMMANDS,
  started: async (started) => {
    spec = specOf(await (await fetch(`${started.api.url}/openapi.json`)).json());
  },
});

/** A fresh integer id (Laravel's auto-increment): unique across runs on the shared dev server. */
let lastId = Date.now() * 1000;
const integerId = () => ++lastId;

/** PHP's date(DATE_ISO8601): `2026-12-09T10:00:00+0000`. */
const phpDate = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');

function laravelBooking(startInHours = 48) {
  const startsAt = Date.now() + startInHours * HOUR;
  const id = integerId();
  return {
    id,
    title: null,
    startsAt: phpDate(startsAt),
    endsAt: phpDate(startsAt + HOUR),
    tutor: { id: integerId(), email: `tutor-${id}@example.com`, name: 'Ada Tutor', timeZone: null },
    student: { id: integerId(), email: `student-${id}@example.com`, name: 'Sam Student', timeZone: null },
  };
}

async function checked(res: Response, method: string, template: string) {
  const body = (await res.json()) as Record<string, unknown>;
  assert.deepEqual(
    validateResponse(spec, method, template, res.status, body),
    [],
    `${template} ${res.status}`,
  );
  return body;
}

test("Laravel's booking (integer ids, nulls, +0000) is booked; the 202 has the join links; ids come back as strings", async () => {
  const b = laravelBooking();
  const res = await api(stack).book(b);
  assert.equal(res.status, 202, await res.clone().text());
  const accepted = await checked(res, 'POST', '/lessons');
  assert.equal(accepted.lessonId, String(b.id));
  const row = await waitFor('the meeting', () => meetingRow(stack, String(b.id)));
  assert.deepEqual(
    [accepted.joinUrl, accepted.participantJoinUrl],
    [row.joinUrl, row.participantJoinUrl],
    'the links answered at once are the ones the meeting keeps',
  );
  const lesson = await stack.container.stores.lessons.find(String(b.id));
  assert.deepEqual(
    [lesson?.tutorId, lesson?.startsAt.getTime()],
    [String(b.tutor.id), Date.parse(b.startsAt)],
  );

  const same = { ...b, id: String(b.id), title: undefined, startsAt: new Date(b.startsAt).toISOString() };
  assert.equal((await api(stack).book(same)).status, 202, 'the same booking written the JSON way');

  const meeting = await api(stack).meeting(String(b.id));
  assert.equal(((await meeting.json()) as { lessonId: unknown }).lessonId, String(b.id));

  const later = Date.parse(b.startsAt) + 2 * HOUR;
  const moved = await api(stack).reschedule(String(b.id), {
    startsAt: phpDate(later),
    endsAt: phpDate(later + HOUR),
    requestId: null,
  });
  assert.equal(moved.status, 200, await moved.clone().text());
  const result = await checked(moved, 'POST', '/lessons/{id}/reschedule');
  assert.equal(result.startsAt, new Date(later).toISOString());
});

test("invalid input answers 400 with `issues` and Laravel's `errors` (field -> messages)", async () => {
  const b = laravelBooking();
  const res = await api(stack).book({
    ...b,
    tutor: { ...b.tutor, email: 'nope' },
    student: { ...b.student, id: '' },
  });
  assert.equal(res.status, 400);
  const body = (await checked(res, 'POST', '/lessons')) as {
    error: string;
    issues: Array<{ path: string }>;
    errors: Record<string, string[]>;
  };
  assert.equal(body.error, 'invalid_request');
  assert.deepEqual(body.issues.map((i) => i.path).sort(), ['body.student.id', 'body.tutor.email']);
  assert.deepEqual(body.errors, {
    'tutor.email': ['must be an email address'],
    'student.id': ['must not be empty'],
  });

  const past = await api(stack).book(laravelBooking(-3));
  assert.equal(past.status, 400);
  const pastBody = (await checked(past, 'POST', '/lessons')) as { error: string; errors: object };
  assert.equal(pastBody.error, 'lesson_in_past');
  assert.deepEqual(Object.keys(pastBody.errors), ['endsAt']);

  const date = await api(stack).book({ ...b, startsAt: 'Tuesday 10am' });
  const dateBody = (await date.json()) as { errors: Record<string, string[]> };
  assert.deepEqual(dateBody.errors.startsAt, ['must be an ISO 8601 date-time with a time zone']);
});

test('the typed client takes the same integer ids and +0000 offsets', async () => {
  const client = createBookingClient({
    client: stack.temporal.client,
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    timing: PATIENT_CLIENT_TIMING,
  });
  const b = laravelBooking();
  const started = await client.book(b);
  assert.deepEqual(started, { lessonId: String(b.id), workflowId: `lesson-meeting/${b.id}` });
  await waitFor('the meeting', () => meetingRow(stack, String(b.id)));
  assert.equal((await client.cancel(b.id, { requestId: null })).state, 'completed');
});
