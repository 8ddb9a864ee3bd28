import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestStack } from '../support/use-test-stack';
import {
  api,
  booking,
  connectZoom,
  emailsFor,
  meetingRow,
  waitFor,
  waitForLessonIdle,
} from '../lessons/lesson-helpers';

const stack = useTestStack();

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
