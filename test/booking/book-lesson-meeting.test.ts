import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createLessonActivities, type LessonActivityDeps } from '../../src/activities/lessons';
import { createLogger } from '../../src/logger';
import { booking } from '../lessons/lesson-helpers';

/** The one-step booking's activity over stand-in services: what it sends, and when it does not. */
function activitiesWith(onCreate: () => void, { runOpen = true } = {}) {
  const sent: string[] = [];
  const runsAsked: string[] = [];
  const deps = {
    meetings: {
      withBookingRecorded: (_b: unknown, _h: string, _w: string, step: () => Promise<unknown>) => step(),
      createMeeting: async () => {
        onCreate();
        return { provider: 'daily', meetingId: 'room-1', version: 1 };
      },
    },
    notifications: {
      // As the real one: the run is asked last, just before sending.
      sendLessonEmails: async (lessonId: string, ...rest: unknown[]) => {
        const stillCurrent = rest[3] as (() => Promise<boolean>) | undefined;
        if (stillCurrent && !(await stillCurrent())) return 0;
        sent.push(lessonId);
        return 2;
      },
    },
    commands: {
      isRunOpen: async (workflowId: string, runId: string) => {
        runsAsked.push(`${workflowId}/${runId}`);
        return runOpen;
      },
    },
    logger: createLogger({ level: 'silent' }),
  } as unknown as LessonActivityDeps;
  return { activities: createLessonActivities(deps), sent, runsAsked };
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

test('a first attempt of a run that has ended sends no email: a terminated run announces nothing', async () => {
  const { activities, sent, runsAsked } = activitiesWith(() => undefined, { runOpen: false });
  const env = new MockActivityEnvironment({ attempt: 1 });
  const run = env.context.info.workflowExecution;
  const input = { lessonId: 'lesson-1', event: 'booked' as const, version: 1 };
  assert.equal(await env.run(activities.sendLessonEmails, input), 0);
  assert.deepEqual(sent, []);
  assert.deepEqual(runsAsked, [`${run?.workflowId}/${run?.runId}`]);

  await new MockActivityEnvironment({ attempt: 1 }).run(activities.bookLessonMeeting, {
    booking: booking() as never,
    bookingHash: 'h',
    version: 1,
  });
  assert.deepEqual(sent, [], 'the one-step booking of an ended run leaves its emails unsent too');
});
