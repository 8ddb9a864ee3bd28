import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Worker } from '@temporalio/worker';
import { MeetingProvider } from '../../src/temporal/search-attributes';
import { lessonStateQuery } from '../../src/lessons/definitions';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { startTestStack, type TestStack } from '../support/stack';
import { workflowBundle } from '../support/temporal';
import { api, booking, connectZoom, emailsFor, HOUR, meetingRow, waitFor, icsStart } from './lesson-helpers';

let stack: TestStack;
before(async () => (stack = await startTestStack()));
after(async () => stack?.close());

const MINUTE = 60_000;
const lessonRow = (lessonId: string) => stack.database.db('lessons').where({ id: lessonId }).first();

async function bookOnZoom() {
  const b = booking();
  const zoomUserId = await connectZoom(stack, b.tutor.id);
  await api(stack).book(b);
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  const row = await meetingRow(stack, b.id);
  assert.equal(row?.provider, 'zoom');
  return { b, zoomUserId, zoomMeetingId: row.meetingId };
}

test('Zoom answering 5xx to a reschedule until the new start minus the margin: the lesson moves to Daily at the new times, emailed once', async () => {
  const { b, zoomUserId, zoomMeetingId } = await bookOnZoom();
  const handle = stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
  const outage = stack.zoom.faults.add({
    route: 'PATCH /v2/meetings/:meetingId',
    user: zoomUserId,
    status: 503,
  });
  // Moved to the margin plus a minute ahead, the lesson gives Zoom one minute, the least there is;
  // retried at 1, 3, 7, 15 and 31 s, Zoom is given up when the next retry would pass that minute.
  const askedAt = Date.now();
  const margin = stack.env.ZOOM_FALLBACK_MARGIN_MINUTES * MINUTE;
  const startsAt = new Date(askedAt + margin + MINUTE).toISOString();
  const endsAt = new Date(Date.parse(startsAt) + HOUR).toISOString();
  try {
    assert.equal((await api(stack).reschedule(b.id, { startsAt, endsAt })).status, 202);
    await waitFor(
      'reschedule emails',
      async () => emailsFor(stack, b.id, 'rescheduled').length === 2,
      2 * MINUTE,
    );
  } finally {
    stack.zoom.faults.remove(outage);
  }
  const patches = stack.zoom.requests.find({ method: 'PATCH' }).filter((r) => r.user === zoomUserId);
  assert.ok(patches.length >= 5, `Zoom was retried through its minute (${patches.length} tries)`);
  assert.ok(
    patches.every((r) => r.status === 503),
    'each try failed: the move to Daily came from the deadline',
  );
  assert.ok(Date.now() - askedAt < MINUTE + 10_000, 'moved by the deadline');

  const meeting = await meetingRow(stack, b.id);
  assert.equal(meeting?.provider, 'daily');
  const room = stack.daily.rooms().find((r) => r.name === meeting.meetingId);
  assert.ok(room, 'the Daily room exists');
  assert.equal(room.config.nbf, Math.floor(Date.parse(startsAt) / 1000) - stack.env.EARLY_JOIN_MINUTES * 60);
  assert.equal(room.config.exp, Math.floor(Date.parse(endsAt) / 1000) + stack.env.LESSON_GRACE_MINUTES * 60);
  const row = await lessonRow(b.id);
  assert.equal(new Date(row.starts_at).toISOString(), startsAt, 'the row has the new times');
  assert.equal(new Date(row.ends_at).toISOString(), endsAt);
  const state = await handle.query(lessonStateQuery);
  assert.deepEqual(
    {
      provider: state.provider,
      meetingId: state.meetingId,
      startsAt: state.startsAt,
      version: state.version,
    },
    { provider: 'daily', meetingId: meeting.meetingId, startsAt, version: row.version },
  );
  assert.equal(
    stack.zoom.meetings().find((m) => String(m.id) === zoomMeetingId),
    undefined,
    'the Zoom meeting left at its old time is deleted',
  );
  await waitFor(
    'the search attribute',
    async () => (await handle.describe()).typedSearchAttributes.get(MeetingProvider) === 'daily',
    5_000,
  );
  const mails = emailsFor(stack, b.id, 'rescheduled');
  assert.ok(
    mails.every((m) => m.attachments[0]?.content.includes(icsStart(startsAt))),
    'the new times',
  );
  assert.ok(
    mails.some((m) => m.html.includes(meeting.joinUrl.replace(/&/g, '&amp;'))),
    'the join link',
  );

  // A cancel still ends it; the emails went out once, and the fallback path replays.
  assert.equal((await api(stack).cancel(b.id)).status, 202);
  assert.equal((await handle.result()).status, 'cancelled');
  assert.equal(emailsFor(stack, b.id, 'rescheduled').length, 2, 'one Rescheduled email each');
  assert.equal(
    stack.daily.rooms().find((r) => r.name === meeting.meetingId),
    undefined,
    'the cancel deletes the Daily room',
  );
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory());
});

test('the forced move to Daily does not wait for Zoom to delete its meeting, and a repeat gives the same outcome', async () => {
  const { b, zoomUserId, zoomMeetingId } = await bookOnZoom();
  const faults = [
    stack.zoom.faults.add({ route: 'PATCH /v2/meetings/:meetingId', user: zoomUserId, status: 503 }),
    stack.zoom.faults.add({ route: 'DELETE /v2/meetings/:meetingId', user: zoomUserId, status: 503 }),
  ];
  const startsAt = new Date(Date.parse(b.startsAt) + 2 * HOUR);
  const endsAt = new Date(startsAt.getTime() + HOUR);
  const meetings = stack.container.services.lessonMeetings;
  try {
    const moved = await meetings.rescheduleMeeting(b.id, startsAt, endsAt, 2, { forceDaily: true });
    assert.equal(moved.provider, 'daily');
    // Its completion lost, the step runs again: the lesson is on Daily already, and stays there.
    assert.deepEqual(
      await meetings.rescheduleMeeting(b.id, startsAt, endsAt, 2, { forceDaily: true }),
      moved,
    );
    assert.equal((await meetingRow(stack, b.id))?.meetingId, moved.meetingId);
  } finally {
    for (const fault of faults) stack.zoom.faults.remove(fault);
  }
  assert.equal(stack.zoom.requests.find({ method: 'PATCH' }).filter((r) => r.user === zoomUserId).length, 0);
  assert.equal(new Date((await lessonRow(b.id)).starts_at).toISOString(), startsAt.toISOString());
  assert.ok(
    stack.zoom.meetings().some((m) => String(m.id) === zoomMeetingId),
    'left at Zoom',
  );
  assert.ok(
    stack.logs.some((line) => line.includes(zoomMeetingId) && /delete it in Zoom/.test(line)),
    'a warning names the meeting left behind',
  );
});
