import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestStack } from '../support/use-test-stack';
import { api, booking, connectZoom, emailsFor, HOUR, meetingRow, waitFor } from '../lessons/lesson-helpers';

const stack = useTestStack({ platformEvents: true });

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
  // The workflow runs this step after Zoom's deadline (60 s at least: too long to wait for here).
  const told = await stack.platformEvents!.deliveredData('lesson.moved_to_daily', { lessonId: b.id });
  assert.deepEqual(
    [told.provider, told.reason, told.startsAt],
    ['daily', 'zoom_deadline', startsAt.toISOString()],
  );
  const recorded = await stack.database
    .db('platform_events')
    .where({ type: 'lesson.moved_to_daily' })
    .whereRaw("data->>'lessonId' = ?", [b.id]);
  assert.equal(recorded.length, 1, 'the repeat tells the platform nothing new');
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
