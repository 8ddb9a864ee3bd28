import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestStack } from '../support/use-test-stack';
import { api, booking, emailsFor, meetingRow, waitFor } from '../lessons/lesson-helpers';

const stack = useTestStack();

test('a cancel waits for a create or reschedule attempt still running, then deletes what it left', async () => {
  const b = booking();
  assert.equal((await api(stack).book(b)).status, 202);
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  const room = (await meetingRow(stack, b.id))?.meetingId;
  assert.ok(room);

  // A timed-out attempt still holds the lesson's lock, as it would while it talks to the provider.
  let release = (): void => undefined;
  let held = (): void => undefined;
  const holding = new Promise<void>((resolve) => (held = resolve));
  const attempt = stack.container.locks.withLock(`lesson-meeting:${b.id}`, async () => {
    held();
    await new Promise<void>((resolve) => (release = resolve));
  });
  await holding;
  const cancelled = stack.container.services.lessonMeetings.cancelMeeting(b.id);
  try {
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(await meetingRow(stack, b.id), 'the row stays while the attempt runs');
    assert.ok(stack.daily.rooms().some((r) => r.name === room));
  } finally {
    release();
    await Promise.all([attempt, cancelled]);
  }
  assert.equal(await meetingRow(stack, b.id), undefined);
  assert.ok(!stack.daily.rooms().some((r) => r.name === room), 'the room is deleted');
});
