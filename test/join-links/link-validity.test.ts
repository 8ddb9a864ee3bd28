import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useTestStack } from '../support/use-test-stack';
import { api, booking, emailsFor, HOUR, meetingRow, taken, waitFor } from '../lessons/lesson-helpers';

const stack = useTestStack();

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
