import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestStack } from '../support/use-test-stack';
import {
  api,
  booking,
  connectZoom,
  emailsFor,
  HOUR,
  meetingRow,
  waitFor,
  waitForLessonIdle,
} from '../lessons/lesson-helpers';

const stack = useTestStack();

test('booking without Zoom: a private Daily room with reactions and hand raising, the row, and one LessonBooked email each', async () => {
  const b = booking();
  const res = await api(stack).book(b);
  assert.equal(res.status, 202);
  const accepted = (await res.json()) as Record<string, string>;

  const row = await waitFor('the meeting row', () => meetingRow(stack, b.id));
  assert.deepEqual(accepted, {
    lessonId: b.id,
    workflowId: `lesson-meeting/${b.id}`,
    joinUrl: row.joinUrl,
    participantJoinUrl: row.participantJoinUrl,
  });
  assert.equal(row.provider, 'daily');
  const room = stack.daily.rooms().find((r) => r.name === row.meetingId);
  assert.ok(room);
  assert.equal(room.privacy, 'private');
  assert.equal(room.config.enable_emoji_reactions, true);
  assert.equal(room.config.enable_hand_raising, true);
  assert.equal(room.config.eject_at_room_exp, true);
  assert.equal(
    room.config.exp,
    Math.floor(Date.parse(b.endsAt) / 1000) + stack.env.LESSON_GRACE_MINUTES * 60,
  );
  assert.equal(
    room.config.nbf,
    Math.floor(Date.parse(b.startsAt) / 1000) - stack.env.EARLY_JOIN_MINUTES * 60,
  );
  assert.match(row.joinUrl, new RegExp(`^${stack.api.url}/meetings/${b.id}/join\\?as=tutor`));

  const emails = await waitFor('two emails', async () =>
    emailsFor(stack, b.id, 'booked').length === 2 ? emailsFor(stack, b.id, 'booked') : undefined,
  );
  await waitForLessonIdle(stack, b.id);
  assert.equal(emailsFor(stack, b.id, 'booked').length, 2, 'one each, once the lesson waits for its end');
  assert.deepEqual(emails.map((m) => m.to).sort(), [[b.student.email], [b.tutor.email]].sort());
  const tutorMail = emails.find((m) => m.to.includes(b.tutor.email));
  assert.ok(tutorMail?.html.includes(row.joinUrl.replace(/&/g, '&amp;')));
  assert.match(tutorMail?.text ?? '', /\(Europe\/Paris\)/, "times in the tutor's time zone");
  assert.match(tutorMail?.attachments[0]?.content ?? '', /METHOD:REQUEST/);

  // The stable link mints a Daily meeting token with the user's identity at click time.
  const join = await fetch(row.joinUrl, { redirect: 'manual' });
  assert.equal(join.status, 302);
  assert.equal(join.headers.get('cache-control'), 'no-store', 'a URL with a meeting token is never cached');
  const target = new URL(join.headers.get('location') as string);
  const claims = stack.daily.decodeMeetingToken(target.searchParams.get('t') as string);
  assert.equal(claims.user_name, 'Ada Tutor');
  assert.equal(claims.is_owner, true);
  const student = await fetch(row.participantJoinUrl, { redirect: 'manual' });
  assert.equal(student.headers.get('cache-control'), 'no-store');
  const studentClaims = stack.daily.decodeMeetingToken(
    new URL(student.headers.get('location') as string).searchParams.get('t') as string,
  );
  assert.equal(studentClaims.is_owner, false);

  // Change the signature's first character for sure (a fixed 'x' left one link in 64 as it was).
  const tamperedUrl = row.joinUrl.replace(/sig=(.)/, (_all, c: string) => `sig=${c === 'x' ? 'y' : 'x'}`);
  const tampered = await fetch(tamperedUrl, { redirect: 'manual' });
  assert.equal(tampered.status, 403);

  const meeting = await (await api(stack).meeting(b.id)).json();
  assert.equal((meeting as { provider: string }).provider, 'daily');
});

test('booking with Zoom connected: a Zoom meeting on the tutor account, fresh start_url for the host', async () => {
  const b = booking();
  const zoomUserId = await connectZoom(stack, b.tutor.id);
  assert.equal((await api(stack).book(b)).status, 202);
  const row = await waitFor('the meeting row', () => meetingRow(stack, b.id));
  assert.equal(row.provider, 'zoom');
  assert.ok(row.password, 'the password is kept (encrypted)');
  const meetings = stack.zoom.meetings().filter((m) => String(m.id) === row.meetingId);
  assert.equal(meetings.length, 1);
  assert.equal(meetings[0]?.host_id, zoomUserId);
  const host = await fetch(row.joinUrl, { redirect: 'manual' });
  assert.match(host.headers.get('location') ?? '', /\/s\//, 'the host gets a start URL');
  assert.equal(host.headers.get('cache-control'), 'no-store', "the start URL carries the host's ZAK");
  const student = await fetch(row.participantJoinUrl, { redirect: 'manual' });
  assert.match(student.headers.get('location') ?? '', /\/j\//, 'the student gets the join URL');
  assert.equal(student.headers.get('cache-control'), 'no-store');
  await waitFor('emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
});

test('Zoom failing permanently falls back to Daily, and the tutor is told', async () => {
  const b = booking();
  const zoomUserId = await connectZoom(stack, b.tutor.id);
  stack.zoom.deleteUser(zoomUserId);
  assert.equal((await api(stack).book(b)).status, 202);
  const row = await waitFor('the meeting row', () => meetingRow(stack, b.id));
  assert.equal(row.provider, 'daily');
  const emails = await waitFor('emails', async () =>
    emailsFor(stack, b.id, 'booked').length === 2 ? emailsFor(stack, b.id, 'booked') : undefined,
  );
  const tutorText = emails.find((m) => m.to.includes(b.tutor.email))?.text ?? '';
  assert.match(tutorText, /could not create this lesson on your Zoom account/);
  // The note's link is the tutor's own signed reconnect link: a click starts a connect session.
  const link = /Reconnect Zoom here: (\S+)/.exec(tutorText)?.[1] ?? '';
  assert.match(link, /\/integrations\/zoom\/connect\?reconnect=/);
  const opened = await fetch(link, { redirect: 'manual' });
  assert.equal(opened.status, 302);
  assert.ok(opened.headers.get('location')?.startsWith(stack.zoom.url), opened.headers.get('location') ?? '');
  assert.doesNotMatch(emails.find((m) => m.to.includes(b.student.email))?.text ?? '', /Zoom account/);
});

test('a Daily API key refused (401, a rotated key) holds the booking until it is accepted again: never a failed lesson', async () => {
  const b = booking();
  stack.daily.faults.add({ route: 'POST /v1/rooms', status: 401, firstN: 3 });
  assert.equal((await api(stack).book(b)).status, 202);
  const row = await waitFor('the meeting row', () => meetingRow(stack, b.id));
  assert.equal(row.provider, 'daily');
  await waitFor('the booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  const workflow = stack.temporal.client.workflow.getHandle(`lesson-meeting/${b.id}`);
  assert.equal((await workflow.describe()).status.name, 'RUNNING');
});

test('a Daily fallback that finds the Zoom meeting made after all keeps it: no orphan at Zoom, no fallback note', async () => {
  const b = booking();
  const zoomUserId = await connectZoom(stack, b.tutor.id);
  assert.equal((await api(stack).book(b)).status, 202);
  const row = await waitFor('the meeting row', () => meetingRow(stack, b.id));
  await waitFor('emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  // The Zoom step's deadline passed just as its answer came: the workflow's fallback runs anyway.
  const { lessonMeetings, notifications } = stack.container.services;
  const outcome = await lessonMeetings.createMeeting(b.id, { forceDaily: true });
  assert.deepEqual(outcome, {
    provider: 'zoom',
    meetingId: row.meetingId,
    version: 1,
    startsAt: b.startsAt,
    endsAt: b.endsAt,
  });
  assert.equal(stack.zoom.meetings().filter((m) => m.host_id === zoomUserId).length, 1);
  assert.equal((await meetingRow(stack, b.id))?.provider, 'zoom');
  await notifications.sendLessonEmails(b.id, 'rescheduled', 9, 'Zoom did not answer in time');
  assert.equal(emailsFor(stack, b.id, 'rescheduled').length, 2);
  for (const email of emailsFor(stack, b.id, 'rescheduled'))
    assert.doesNotMatch(email.text, /could not create this lesson on your Zoom account/);
});

for (const [form, retryAfter] of [
  ['seconds', { seconds: 1 }],
  ['ISO date', { isoDateInSeconds: 2 }],
] as const) {
  test(`Zoom answering 429 with Retry-After as ${form} is retried and still gives a Zoom meeting`, async () => {
    const b = booking();
    const zoomUserId = await connectZoom(stack, b.tutor.id);
    const fault = stack.zoom.faults.add({
      route: 'POST /v2/users/:userId/meetings',
      user: zoomUserId,
      status: 429,
      retryAfter,
      firstN: 1,
    });
    assert.equal((await api(stack).book(b)).status, 202);
    const row = await waitFor('the meeting row', () => meetingRow(stack, b.id));
    stack.zoom.faults.remove(fault);
    assert.equal(row.provider, 'zoom');
    const limited = stack.zoom.requests
      .find({ method: 'POST', path: /\/meetings$/ })
      .filter((r) => r.status === 429 && r.user === zoomUserId);
    assert.equal(limited.length, 1);
  });
}

test('a repeated booking gives the same answer, one meeting and one email pair; a different body gives 409', async () => {
  const b = booking();
  const [first, second] = await Promise.all([api(stack).book(b), api(stack).book(b)]);
  assert.equal(first.status, 202);
  assert.equal(second.status, 202);
  await waitFor('emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  assert.equal((await api(stack).book(b)).status, 202);
  await waitForLessonIdle(stack, b.id);
  assert.equal(emailsFor(stack, b.id).length, 2);
  assert.equal(stack.daily.rooms().filter((r) => r.name.includes(b.id)).length, 1);
  const conflict = await api(stack).book({ ...b, title: 'Another title' });
  assert.equal(conflict.status, 409);
});

test("two different bookings of one id at once: one 202, one 409, and the users hold the winner's data", async () => {
  for (let round = 0; round < 5; round++) {
    const b = booking();
    const other = {
      ...b,
      title: 'Something else',
      tutor: { ...b.tutor, name: 'Other Tutor', email: `other-${b.tutor.email}` },
      student: { ...b.student, name: 'Other Student', email: `other-${b.student.email}` },
    };
    const answers = await Promise.all([api(stack).book(b), api(stack).book(other)]);
    const statuses = answers.map((r) => r.status);
    assert.deepEqual([...statuses].sort(), [202, 409], `round ${round}: ${statuses.join(', ')}`);
    const winner = statuses[0] === 202 ? b : other;
    const db = stack.database.db;
    const row = await db('lessons').where({ id: b.id }).first();
    const users = await db('users').whereIn('id', [b.tutor.id, b.student.id]).orderBy('id', 'desc');
    assert.equal(row.title, winner.title);
    assert.deepEqual(
      users.map((u: { email: string; name: string }) => [u.email, u.name]),
      [winner.tutor, winner.student].map((p) => [p.email, p.name]),
    );
  }
});

test('bad input is a clear 4xx and writes nothing', async () => {
  const b = booking();
  const endsBeforeStart = await api(stack).book({
    ...b,
    endsAt: new Date(Date.parse(b.startsAt) - 1000).toISOString(),
  });
  assert.equal(endsBeforeStart.status, 400);
  assert.match(
    ((await endsBeforeStart.json()) as { message: string }).message,
    /endsAt must be after startsAt/,
  );
  const inPast = booking({}, -3);
  const past = await api(stack).book(inPast);
  assert.equal(past.status, 400);
  assert.equal((await api(stack).book({ ...b, tutor: { id: 'x' } })).status, 400);
  assert.equal((await api(stack).book(b, { authorization: 'Bearer wrong' })).status, 401);
  assert.equal((await api(stack).reschedule('nope', { startsAt: b.startsAt, endsAt: b.endsAt })).status, 404);
  assert.equal((await api(stack).cancel('nope')).status, 404);
  assert.equal((await api(stack).meeting('nope')).status, 404);
  const notJson = await fetch(`${stack.api.url}/lessons`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.env.BOOKING_API_TOKEN}`, 'content-type': 'application/json' },
    body: '{',
  });
  assert.equal(notJson.status, 400);
  // Nothing of any refused booking: no lesson, no user, no workflow.
  const db = stack.database.db;
  const refused = [b, inPast];
  assert.deepEqual(
    await db('lessons').whereIn(
      'id',
      refused.map((r) => r.id),
    ),
    [],
  );
  const people = refused.flatMap((r) => [r.tutor.id, r.student.id]);
  assert.deepEqual(await db('users').whereIn('id', [...people, 'x']), []);
  for (const r of refused)
    await assert.rejects(
      stack.temporal.client.workflow.getHandle(`lesson-meeting/${r.id}`).describe(),
      /not found/i,
    );
});

test('a booking longer than 24 hours is refused, as such a reschedule is, and writes nothing', async () => {
  const b = booking();
  const tooLong = {
    startsAt: b.startsAt,
    endsAt: new Date(Date.parse(b.startsAt) + 25 * HOUR).toISOString(),
  };
  const refused = await api(stack).book({ ...b, ...tooLong });
  assert.equal(refused.status, 400);
  assert.match(((await refused.json()) as { message: string }).message, /at most 24 hours/);
  assert.equal(await stack.database.db('lessons').where({ id: b.id }).first(), undefined);
  assert.equal((await api(stack).book(b)).status, 202);
  assert.equal((await api(stack).reschedule(b.id, tooLong)).status, 400);
});

test('the workflow re-records a booking only when the API did not: a newer name of its tutor stays', async () => {
  const meetings = stack.container.services.lessonMeetings;
  const first = booking();
  const later = booking({ tutor: { ...first.tutor, name: 'Ada Lovelace' } });
  await meetings.recordBooking(first, 'hash-1', `lesson-meeting/${first.id}`);
  await meetings.recordBooking(later, 'hash-2', `lesson-meeting/${later.id}`);
  const loaded = await meetings.withBookingRecorded(first, 'hash-1', `lesson-meeting/${first.id}`, () =>
    meetings.loadLesson(first.id),
  );
  assert.equal(loaded.tutor.name, 'Ada Lovelace');
  const tutor = await stack.database.db('users').where({ id: first.tutor.id }).first();
  assert.equal(tutor.name, 'Ada Lovelace');

  const typed = booking(); // booked through the typed client: no row yet
  let runs = 0;
  const step = async () => (runs++, meetings.loadLesson(typed.id));
  assert.equal(
    (await meetings.withBookingRecorded(typed, 'hash-3', `lesson-meeting/${typed.id}`, step)).id,
    typed.id,
  );
  assert.equal(runs, 2);
  assert.equal((await stack.database.db('lessons').where({ id: typed.id }).first()).booking_hash, 'hash-3');
});

test('a booking is recorded in one go: names follow the latest booking, a known time zone stays, the lesson is kept', async () => {
  const meetings = stack.container.services.lessonMeetings;
  const db = stack.database.db;
  const first = booking({ student: { ...booking().student, timeZone: 'Asia/Tokyo' } });
  await meetings.recordBooking(first, 'hash-a', `lesson-meeting/${first.id}`);
  await meetings.recordBooking({ ...first, title: 'changed' }, 'hash-c', `lesson-meeting/${first.id}`);
  const again = booking({
    tutor: first.tutor,
    student: { id: first.student.id, email: 'new@example.com', name: 'New Name' }, // no time zone
  });
  await meetings.recordBooking(again, 'hash-b', `lesson-meeting/${again.id}`);

  const student = await db('users').where({ id: first.student.id }).first();
  assert.deepEqual(
    [student.email, student.name, student.time_zone],
    ['new@example.com', 'New Name', 'Asia/Tokyo'],
  );
  const lesson = await db('lessons').where({ id: first.id }).first();
  assert.deepEqual([lesson.booking_hash, lesson.title], ['hash-a', first.title ?? null]);
  const newcomer = booking();
  await meetings.recordBooking(newcomer, 'hash-d', `lesson-meeting/${newcomer.id}`);
  assert.equal(
    (await db('users').where({ id: newcomer.tutor.id }).first()).time_zone,
    newcomer.tutor.timeZone ?? 'UTC',
  );
});
