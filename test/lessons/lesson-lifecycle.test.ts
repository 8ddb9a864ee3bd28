import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lessonStateQuery } from '../../src/lessons/definitions';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { platformJwt } from '../support/browser';
import { useTestStack } from '../support/use-test-stack';
import {
  api,
  booking,
  connectZoom,
  emailsFor,
  HOUR,
  icsStart,
  meetingRow,
  taken,
  waitFor,
  waitForLessonIdle,
} from './lesson-helpers';

const stack = useTestStack();

const state = (lessonId: string) =>
  stack.temporal.client.workflow.getHandle(lessonWorkflowId(lessonId)).query(lessonStateQuery);

test('three rapid reschedules: the provider sees exactly the first and the last times; the row and the last emails have the last', async () => {
  const b = booking();
  assert.equal((await api(stack).book(b)).status, 202);
  await waitFor('emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  const roomName = (await meetingRow(stack, b.id))?.meetingId;
  const times = [3, 4, 5].map((h) => {
    const startsAt = new Date(Date.parse(b.startsAt) + h * HOUR);
    return { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + HOUR).toISOString() };
  });
  // Daily slow to answer, so that the second and third come while the first is under way.
  const slow = stack.daily.faults.add({ route: `POST /v1/rooms/${roomName}`, latencyMs: 1500 });
  try {
    // Each answer waits for its Update's result: sent one after another, the second and third
    // leave while the first is under way, without waiting for it.
    const sent: Array<Promise<Response>> = [];
    for (const t of times) {
      sent.push(api(stack).reschedule(b.id, t));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    for (const res of sent) assert.equal(await taken(await res), 'taken');
    const last = times[2] as { startsAt: string; endsAt: string };
    await waitFor(
      'the last times',
      async () => (await state(b.id)).startsAt === last.startsAt && !(await state(b.id)).pendingReschedule,
    );
    const expiries = stack.daily.requests
      .find({ method: 'POST', path: `/v1/rooms/${roomName}` })
      .map((r) => (JSON.parse(r.body) as { properties: { exp: number } }).properties.exp);
    const expiry = (t: { endsAt: string }) =>
      Math.floor(Date.parse(t.endsAt) / 1000) + stack.env.LESSON_GRACE_MINUTES * 60;
    assert.deepEqual(
      expiries,
      [expiry(times[0] as { endsAt: string }), expiry(last)],
      'the first and the last',
    );
    const lesson = await stack.database.db('lessons').where({ id: b.id }).first();
    assert.equal(new Date(lesson.starts_at).toISOString(), last.startsAt);
    // The last email the student gets carries the last times.
    const newest = () =>
      emailsFor(stack, b.id, 'rescheduled')
        .filter((m) => m.to.includes(b.student.email))
        .at(-1)?.attachments[0]?.content ?? '';
    await waitFor('the last times emailed', async () => new RegExp(icsStart(last.startsAt)).test(newest()));
  } finally {
    stack.daily.faults.remove(slow);
  }
});

test('a Zoom reschedule PATCHes the meeting time', async () => {
  const b = booking();
  await connectZoom(stack, b.tutor.id);
  await api(stack).book(b);
  const row = await waitFor('row', () => meetingRow(stack, b.id));
  const startsAt = new Date(Date.parse(b.startsAt) + 2 * HOUR).toISOString();
  await api(stack).reschedule(b.id, {
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + HOUR / 2).toISOString(),
  });
  await waitFor(
    'the PATCH',
    async () =>
      stack.zoom.meetings().find((m) => String(m.id) === row.meetingId)?.start_time ===
      startsAt.replace(/\.\d{3}Z$/, 'Z'),
  );
  assert.equal(stack.zoom.meetings().find((m) => String(m.id) === row.meetingId)?.duration, 30);
});

test('cancel after the meeting exists: the room is deleted, the row removed, both sides told', async () => {
  const b = booking();
  await api(stack).book(b);
  const row = await waitFor('row', () => meetingRow(stack, b.id));
  assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
  await waitFor('cancellation emails', async () => emailsFor(stack, b.id, 'cancelled').length === 2);
  assert.equal(await meetingRow(stack, b.id), undefined);
  assert.equal(
    stack.daily.rooms().find((r) => r.name === row.meetingId),
    undefined,
  );
  assert.match(emailsFor(stack, b.id, 'cancelled')[0]?.attachments[0]?.content ?? '', /METHOD:CANCEL/);
  const page = await fetch(row.participantJoinUrl, { redirect: 'manual' });
  assert.equal(page.status, 410);
  assert.equal((await api(stack).reschedule(b.id, { startsAt: b.startsAt, endsAt: b.endsAt })).status, 409);
  assert.equal(
    (await api(stack).book(b)).status,
    409,
    'a cancelled lesson is not booked again under the same id',
  );
});

test('a join link while the database fails is a 5xx, not a page saying the lesson was cancelled', async () => {
  const b = booking();
  await api(stack).book(b);
  const row = await waitFor('row', () => meetingRow(stack, b.id));
  const meetings = stack.container.services.lessonMeetings;
  const loadLesson = meetings.loadLesson;
  meetings.loadLesson = () => Promise.reject(new Error('connection refused'));
  try {
    const page = await fetch(row.participantJoinUrl, { redirect: 'manual' });
    assert.equal(page.status, 500);
  } finally {
    meetings.loadLesson = loadLesson;
  }
  assert.equal((await fetch(row.participantJoinUrl, { redirect: 'manual' })).status, 302);
});

test("a link sent before a reschedule lives until the lesson's current end plus grace", async () => {
  const b = booking();
  await api(stack).book(b);
  const original = await waitFor('row', () => meetingRow(stack, b.id));
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  const startsAt = new Date(Date.parse(b.startsAt) + 72 * HOUR).toISOString();
  const endsAt = new Date(Date.parse(startsAt) + HOUR).toISOString();
  assert.equal(await taken(await api(stack).reschedule(b.id, { startsAt, endsAt })), 'taken');
  await waitFor('rescheduled emails', async () => emailsFor(stack, b.id, 'rescheduled').length === 2);
  const click = async (at: number) => {
    stack.clock.set(new Date(at));
    try {
      return (await fetch(original.participantJoinUrl, { redirect: 'manual' })).status;
    } finally {
      stack.clock.set(new Date());
    }
  };
  const grace = stack.env.LESSON_GRACE_MINUTES * 60_000;
  assert.equal(await click(Date.parse(b.endsAt) + 24 * HOUR), 302, 'a day after the old end');
  assert.equal(await click(Date.parse(endsAt) + grace - 60_000), 302, 'just before the new end + grace');
  assert.equal(await click(Date.parse(endsAt) + grace + 60_000), 403, 'after the new end + grace');
  const forged = new URL(original.participantJoinUrl);
  forged.searchParams.set('exp', String(Number(forged.searchParams.get('exp')) + 1));
  assert.equal((await fetch(forged, { redirect: 'manual' })).status, 403, 'the signature still binds');
});

test('the meeting of a cancelled lesson shows no links while its room is still being deleted', async () => {
  const b = booking();
  await api(stack).book(b);
  const row = await waitFor('row', () => meetingRow(stack, b.id));
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  // Daily refuses the delete for now: the cancel's step retries, and the meeting row stays meanwhile.
  const stuck = stack.daily.faults.add({ route: 'DELETE /v1/rooms/:name', status: 500 });
  try {
    assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
    assert.ok(await meetingRow(stack, b.id), 'the row is still there');
    const seen = (await (await api(stack).meeting(b.id)).json()) as Record<string, unknown>;
    assert.equal(seen.status, 'cancelled');
    assert.deepEqual(
      [seen.provider, seen.meetingId, seen.joinUrl, seen.participantJoinUrl],
      [null, null, null, null],
    );
  } finally {
    stack.daily.faults.remove(stuck);
  }
  const result = await stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id)).result();
  assert.equal(result.status, 'cancelled');
  assert.equal(
    stack.daily.rooms().find((r) => r.name === row.meetingId),
    undefined,
  );
});

test('cancel while the meeting is being created: it is created, then deleted; no meeting is left', async () => {
  const b = booking();
  const slow = stack.daily.faults.add({ route: 'POST /v1/rooms', latencyMs: 1500, firstN: 1 });
  await api(stack).book(b);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
  const seen = (await (await api(stack).meeting(b.id)).json()) as { status: string };
  assert.equal(seen.status, 'cancelled', 'the cancel is recorded at once');
  const result = await stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id)).result();
  stack.daily.faults.remove(slow);
  assert.equal(result.status, 'cancelled');
  const made = stack.daily.requests
    .find({ method: 'POST', path: '/v1/rooms' })
    .filter((r) => r.status === 200 && r.body.includes(b.id));
  assert.equal(made.length, 1, 'the room was made (else the cancel came first, and this tests nothing)');
  assert.equal(stack.daily.rooms().filter((r) => r.name.includes(b.id)).length, 0);
  assert.equal(await meetingRow(stack, b.id), undefined);
  assert.equal(emailsFor(stack, b.id, 'booked').length, 0, 'a cancelled lesson is never announced');
  assert.equal(emailsFor(stack, b.id, 'cancelled').length, 0, 'nor cancelled to people never told of it');
});

test('a worker stopped and restarted mid-lifecycle leaves one meeting and one email pair', async () => {
  const b = booking();
  const slow = stack.daily.faults.add({ route: 'POST /v1/rooms', latencyMs: 2000, firstN: 1 });
  await api(stack).book(b);
  await new Promise((r) => setTimeout(r, 500));
  await stack.stopWorker();
  await stack.startWorker();
  await waitFor('emails', async () => emailsFor(stack, b.id, 'booked').length === 2, 60_000);
  stack.daily.faults.remove(slow);
  await waitForLessonIdle(stack, b.id);
  assert.equal(emailsFor(stack, b.id).length, 2);
  assert.equal(stack.daily.rooms().filter((r) => r.name.includes(b.id)).length, 1);
  assert.ok(await meetingRow(stack, b.id));
});

test("a tutor's deauthorization moves their upcoming Zoom lessons to Daily, with new links emailed", async () => {
  const b = booking();
  const zoomUserId = await connectZoom(stack, b.tutor.id);
  await api(stack).book(b);
  const before = await waitFor('row', () => meetingRow(stack, b.id));
  assert.equal(before.provider, 'zoom');
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  const delivery = await stack.zoom.deauthorizeUser(zoomUserId, { userDataRetention: true } as never);
  assert.equal(delivery?.delivery?.status, 200);
  const moved = await waitFor('moved to Daily', async () =>
    (await meetingRow(stack, b.id))?.provider === 'daily' ? meetingRow(stack, b.id) : undefined,
  );
  assert.ok(stack.daily.rooms().some((r) => r.name === moved?.meetingId));
  await waitFor('moved emails', async () => emailsFor(stack, b.id, 'moved-to-daily').length === 2);
  assert.equal((await state(b.id)).provider, 'daily');
});

test('a Zoom create whose answer is lost is retried without leaving a second Zoom meeting', async () => {
  const b = booking();
  const zoomUserId = await connectZoom(stack, b.tutor.id);
  const lost = stack.zoom.faults.add({
    route: 'POST /v2/users/:userId/meetings',
    user: zoomUserId,
    hang: 'after',
    firstN: 1,
  });
  await api(stack).book(b);
  const row = await waitFor('the meeting row', () => meetingRow(stack, b.id), 60_000);
  stack.zoom.faults.remove(lost);
  assert.equal(row.provider, 'zoom');
  const mine = stack.zoom.meetings().filter((m) => m.host_id === zoomUserId);
  assert.equal(mine.length, 1, 'the retry found the meeting its lost attempt made');
  assert.equal(String(mine[0]?.id), row.meetingId);
});

test('a Zoom create answered 2xx with a body we cannot read is retried (it may have made the meeting), and the lesson stays on Zoom', async () => {
  const b = booking();
  const zoomUserId = await connectZoom(stack, b.tutor.id);
  const unreadable = stack.zoom.faults.add({
    route: 'POST /v2/users/:userId/meetings',
    user: zoomUserId,
    status: 201,
    body: { unexpected: true },
    firstN: 2, // the booking's local try and the durable step's first attempt
  });
  try {
    await api(stack).book(b);
    await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  } finally {
    stack.zoom.faults.remove(unreadable);
  }
  const row = await meetingRow(stack, b.id);
  assert.equal(row?.provider, 'zoom');
  const mine = stack.zoom.meetings().filter((m) => m.host_id === zoomUserId);
  assert.equal(mine.length, 1);
  assert.equal(String(mine[0]?.id), row.meetingId);
});

test('disconnecting Zoom moves the upcoming Zoom lessons to Daily', async () => {
  const b = booking();
  await connectZoom(stack, b.tutor.id);
  await api(stack).book(b);
  assert.equal((await waitFor('row', () => meetingRow(stack, b.id))).provider, 'zoom');
  const jwt = await platformJwt(stack.env.PLATFORM_JWT_SECRET, b.tutor.id);
  const res = await fetch(`${stack.api.url}/integrations/zoom`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${jwt}` },
  });
  assert.equal(res.status, 204);
  await waitFor('moved to Daily', async () => (await meetingRow(stack, b.id))?.provider === 'daily');
});

test('cancelling a booked lesson whose workflow is gone is a 409 that leaves the lesson as it was', async () => {
  const b = booking();
  await api(stack).book(b);
  await waitFor('row', () => meetingRow(stack, b.id));
  await stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id)).terminate('an operator stopped it');
  assert.equal((await api(stack).cancel(b.id)).status, 409);
  assert.equal((await stack.database.db('lessons').where({ id: b.id }).first()).status, 'booked');
});

test('a lesson past its end plus grace is over: cancel and reschedule get 409 and change nothing', async () => {
  const b = booking();
  await api(stack).book(b);
  await waitFor('row', () => meetingRow(stack, b.id));
  const endsAt = Date.parse(b.endsAt);
  stack.clock.set(new Date(endsAt + stack.env.LESSON_GRACE_MINUTES * 60_000 + 1000));
  try {
    const later = new Date(endsAt + 48 * HOUR).toISOString();
    const laterEnd = new Date(endsAt + 49 * HOUR).toISOString();
    const answers = [
      await api(stack).cancel(b.id),
      await api(stack).reschedule(b.id, { startsAt: later, endsAt: laterEnd }),
    ];
    assert.deepEqual(
      answers.map((a) => a.status),
      [409, 409],
    );
  } finally {
    stack.clock.set(new Date());
  }
  const row = await stack.database.db('lessons').where({ id: b.id }).first();
  assert.equal(row.status, 'booked');
  assert.equal(row.version, 1);
});
