import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MeetingProvider } from '../../src/temporal/search-attributes';
import { lessonStateQuery, zoomDisconnectedSignal } from '../../src/lessons/definitions';
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
  type Booking,
  waitFor,
} from '../lessons/lesson-helpers';

const stack = useTestStack({ platformEvents: true });

const handle = (lessonId: string) => stack.temporal.client.workflow.getHandle(lessonWorkflowId(lessonId));
const state = (lessonId: string) => handle(lessonId).query(lessonStateQuery);
const lessonRow = (lessonId: string) => stack.database.db('lessons').where({ id: lessonId }).first();

async function bookOnZoom(): Promise<Booking> {
  const b = booking();
  await connectZoom(stack, b.tutor.id);
  await api(stack).book(b);
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  assert.equal((await meetingRow(stack, b.id))?.provider, 'zoom');
  return b;
}

/** The platform heard the lesson moved to Daily for `reason`, at the times of the reschedule. */
async function assertMovedToDailyEvent(b: Booking, reason: string, startsAt: string): Promise<void> {
  const moved = await stack.platformEvents!.deliveredData('lesson.moved_to_daily', { lessonId: b.id });
  assert.deepEqual([moved.provider, moved.reason, moved.startsAt], ['daily', reason, startsAt]);
}

/** Reschedules by `hours` and waits until the workflow has applied it and emailed both people. */
async function rescheduleBy(b: Booking, hours: number): Promise<string> {
  const startsAt = new Date(Date.parse(b.startsAt) + hours * HOUR).toISOString();
  const endsAt = new Date(Date.parse(startsAt) + HOUR).toISOString();
  assert.equal(await taken(await api(stack).reschedule(b.id, { startsAt, endsAt })), 'taken');
  await waitFor('reschedule emails', async () => emailsFor(stack, b.id, 'rescheduled').length === 2);
  return startsAt;
}

test('a move to Daily whose completion is lost is retried to the same outcome: moved, emailed once, versions in step', async () => {
  const b = await bookOnZoom();
  const meetings = stack.container.services.lessonMeetings;
  const moveToDaily = meetings.moveToDaily;
  let calls = 0;
  // The first attempt does all its work, then its completion is lost (a timeout, a worker crash).
  meetings.moveToDaily = async (lessonId, version) => {
    const outcome = await moveToDaily(lessonId, version);
    if (calls++ === 0) throw new Error('completion lost');
    return outcome;
  };
  try {
    await handle(b.id).signal(zoomDisconnectedSignal);
    await waitFor('moved emails', async () => emailsFor(stack, b.id, 'moved-to-daily').length === 2);
  } finally {
    meetings.moveToDaily = moveToDaily;
  }
  assert.equal(calls, 2, 'the move was retried');
  const moved = await state(b.id);
  assert.equal(moved.provider, 'daily');
  assert.equal((await meetingRow(stack, b.id))?.meetingId, moved.meetingId);
  assert.equal(
    (await lessonRow(b.id)).version,
    moved.version,
    'the workflow and the row agree on the version',
  );
  const described = await handle(b.id).describe();
  assert.equal(described.typedSearchAttributes.get(MeetingProvider), 'daily');

  const startsAt = await rescheduleBy(b, 5);
  assert.equal(
    new Date((await lessonRow(b.id)).starts_at).toISOString(),
    startsAt,
    'the row has the new times',
  );
  const mail = emailsFor(stack, b.id, 'rescheduled')[0];
  assert.ok(mail?.attachments[0]?.content.includes(icsStart(startsAt)), 'the email has the new times');
  assert.equal(emailsFor(stack, b.id, 'moved-to-daily').length, 2, 'no second pair of moved emails');
});

test('a reschedule at the version the row already holds still applies its times (a retry repeats the same ones)', async () => {
  const b = booking();
  await api(stack).book(b);
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  await stack.database.db('lessons').where({ id: b.id }).update({ version: 2 });
  const startsAt = new Date(Date.parse(b.startsAt) + 2 * HOUR);
  const endsAt = new Date(startsAt.getTime() + HOUR);
  const meetings = stack.container.services.lessonMeetings;
  await meetings.rescheduleMeeting(b.id, startsAt, endsAt, 2);
  const row = await lessonRow(b.id);
  const meeting = await meetingRow(stack, b.id);
  assert.equal(new Date(row.starts_at).toISOString(), startsAt.toISOString());
  assert.equal(row.version, 2);
  await meetings.rescheduleMeeting(b.id, new Date(Date.parse(b.startsAt)), new Date(Date.parse(b.endsAt)), 1);
  assert.equal(
    new Date((await lessonRow(b.id)).starts_at).toISOString(),
    startsAt.toISOString(),
    'an older version never overwrites a newer one',
  );
  const room = stack.daily.rooms().find((r) => r.name === meeting?.meetingId);
  assert.ok(room, 'the Daily room exists');
  assert.equal(room.config.exp, Math.floor(endsAt.getTime() / 1000) + stack.env.LESSON_GRACE_MINUTES * 60);
});

test('a reschedule that falls back to Daily (the Zoom meeting is gone) updates the MeetingProvider search attribute and tells the platform why', async () => {
  const b = await bookOnZoom();
  const gone = stack.zoom.faults.add({ route: 'PATCH /v2/meetings/:meetingId', status: 404, firstN: 1 });
  let startsAt: string;
  try {
    startsAt = await rescheduleBy(b, 3);
  } finally {
    stack.zoom.faults.remove(gone);
  }
  await assertMovedToDailyEvent(b, 'zoom_meeting_gone', startsAt);
  assert.equal((await meetingRow(stack, b.id))?.provider, 'daily');
  assert.equal((await state(b.id)).provider, 'daily');
  await waitFor(
    'the search attribute',
    async () => (await handle(b.id).describe()).typedSearchAttributes.get(MeetingProvider) === 'daily',
    5_000,
  );
});

/** The lesson's Zoom meeting: the reschedule is refused for good, so the lesson moves to Daily. */
async function assertMovedToDailyOnReschedule(b: Booking, zoomMeetingId: string): Promise<void> {
  const startsAt = await rescheduleBy(b, 3);
  assert.equal((await meetingRow(stack, b.id))?.provider, 'daily');
  await assertMovedToDailyEvent(b, 'zoom_refused', startsAt);
  assert.equal((await state(b.id)).status, 'booked', 'the lesson workflow lives on');
  assert.equal(
    stack.zoom.meetings().find((m) => String(m.id) === zoomMeetingId),
    undefined,
    'the Zoom meeting left at its old time is deleted',
  );
}

test('Zoom refusing a reschedule for good (400) moves the lesson to Daily instead of failing its workflow', async () => {
  const b = await bookOnZoom();
  const zoomMeetingId = (await meetingRow(stack, b.id))?.meetingId as string;
  const refused = stack.zoom.faults.add({ route: 'PATCH /v2/meetings/:meetingId', status: 400, firstN: 5 });
  try {
    await assertMovedToDailyOnReschedule(b, zoomMeetingId);
  } finally {
    stack.zoom.faults.remove(refused);
  }
});

test("Zoom's per-host daily limit on a reschedule moves the lesson to Daily at once, not after midnight", async () => {
  const b = await bookOnZoom();
  const zoomMeetingId = (await meetingRow(stack, b.id))?.meetingId as string;
  const { dailyMeetingLimit } = stack.zoom.settings();
  stack.zoom.updateSettings({ dailyMeetingLimit: 0 });
  try {
    await assertMovedToDailyOnReschedule(b, zoomMeetingId);
  } finally {
    stack.zoom.updateSettings({ dailyMeetingLimit });
  }
});

test('a Zoom meeting that Zoom refuses to delete on such a move is left, and named in a warning for a person', async () => {
  const b = await bookOnZoom();
  const zoomMeetingId = (await meetingRow(stack, b.id))?.meetingId as string;
  const faults = [
    stack.zoom.faults.add({ route: 'PATCH /v2/meetings/:meetingId', status: 400, firstN: 5 }),
    stack.zoom.faults.add({ route: 'DELETE /v2/meetings/:meetingId', status: 403, firstN: 5 }),
  ];
  try {
    await rescheduleBy(b, 3);
  } finally {
    for (const fault of faults) stack.zoom.faults.remove(fault);
  }
  assert.equal((await meetingRow(stack, b.id))?.provider, 'daily');
  assert.ok(stack.zoom.meetings().some((m) => String(m.id) === zoomMeetingId));
  assert.ok(
    stack.logs.some((line) => line.includes(zoomMeetingId) && /delete it in Zoom/.test(line)),
    'a warning names the meeting left behind',
  );
});

test('a move to Daily while Zoom keeps failing its delete still moves the lesson, and names the meeting left behind', async () => {
  const b = await bookOnZoom();
  const zoomMeetingId = (await meetingRow(stack, b.id))?.meetingId as string;
  const down = stack.zoom.faults.add({ route: 'DELETE /v2/meetings/:meetingId', status: 503 });
  try {
    await handle(b.id).signal(zoomDisconnectedSignal);
    await waitFor('moved emails', async () => emailsFor(stack, b.id, 'moved-to-daily').length === 2);
  } finally {
    stack.zoom.faults.remove(down);
  }
  assert.equal((await meetingRow(stack, b.id))?.provider, 'daily');
  assert.ok(
    stack.logs.some((line) => line.includes(zoomMeetingId) && /delete it in Zoom/.test(line)),
    'a warning names the meeting left behind',
  );
});

test('a move to Daily of a lesson cancelled meanwhile makes no room (a late attempt after the cancel)', async () => {
  const b = await bookOnZoom();
  await stack.database.db('lessons').where({ id: b.id }).update({ status: 'cancelled' });
  const rooms = stack.daily.rooms().length;
  const lesson = await lessonRow(b.id);
  assert.equal(
    await stack.container.services.lessonMeetings.moveToDaily(b.id, lesson.version + 1),
    undefined,
  );
  assert.equal(stack.daily.rooms().length, rooms, 'no Daily room');
  assert.equal((await meetingRow(stack, b.id))?.provider, 'zoom', 'the row is left to the cancel');
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
