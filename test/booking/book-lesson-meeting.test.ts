import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createLessonActivities, type LessonActivityDeps } from '../../src/activities/lessons';
import { createLogger } from '../../src/logger';
import { booking } from '../lessons/lesson-helpers';

/** The one-step booking's activity over stand-in services: what it sends, and when it does not. */
function activitiesWith(onCreate: () => void) {
  const sent: string[] = [];
  const deps = {
    meetings: {
      withBookingRecorded: (_b: unknown, _h: string, _w: string, step: () => Promise<unknown>) => step(),
      createMeeting: async () => {
        onCreate();
        return { provider: 'daily', meetingId: 'room-1', version: 1 };
      },
    },
    notifications: {
      sendLessonEmails: async (lessonId: string) => {
        sent.push(lessonId);
        return 2;
      },
    },
    logger: createLogger({ level: 'silent' }),
  } as unknown as LessonActivityDeps;
  return { activities: createLessonActivities(deps), sent };
}

test('the booking step sends the LessonBooked emails after the meeting', async () => {
  const { activities, sent } = activitiesWith(() => undefined);
  const b = booking();
  const outcome = await new MockActivityEnvironment().run(activities.bookLessonMeeting, {
    booking: b as never,
    bookingHash: 'h',
    version: 1,
  });
  assert.deepEqual(outcome, { provider: 'daily', meetingId: 'room-1', version: 1, announced: true });
  assert.deepEqual(sent, [b.id]);
});

test('a booking step cancelled meanwhile (its local try timed out) keeps the meeting and leaves the emails to the workflow', async () => {
  const env = new MockActivityEnvironment();
  const { activities, sent } = activitiesWith(() => env.cancel('TIMED_OUT'));
  const outcome = await env.run(activities.bookLessonMeeting, {
    booking: booking() as never,
    bookingHash: 'h',
    version: 1,
  });
  assert.deepEqual(outcome, { provider: 'daily', meetingId: 'room-1', version: 1, announced: false });
  assert.deepEqual(sent, [], 'no email from an attempt the workflow has given up on');
});
