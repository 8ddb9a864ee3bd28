import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import type { LessonTimes } from '../../src/lessons/schemas';
import type { LessonWorld } from './fake-lesson-world';
import { assertOutcome, DAY, gate, MARGIN, SECOND, timesIn, until, useLessonHarness } from './lesson-harness';

/** Changes to a booked lesson: reschedules (coalesced, repeated, preempted), moves, cancels. */

const lessons = useLessonHarness();

const shift = (t: LessonTimes, ms: number): LessonTimes => ({
  startsAt: new Date(Date.parse(t.startsAt) + ms).toISOString(),
  endsAt: new Date(Date.parse(t.endsAt) + ms).toISOString(),
});

/** A lesson booked on Zoom at T1 (two days ahead), with T2, T3, T4 a day apart after it. */
async function bookedLesson(extra: Record<string, LessonTimes> = {}) {
  const T1 = timesIn(2 * DAY);
  const times = { T1, T2: shift(T1, DAY), T3: shift(T1, 2 * DAY), T4: shift(T1, 3 * DAY), ...extra };
  const lesson = await lessons().start({ times });
  await until('booked', () => lesson.world.emails.includes('booked v1@T1'));
  return { ...lesson, times };
}

const refused = (world: LessonWorld, call: string) => world.refused.filter((c) => c === call).length;

/** A reschedule to `times` that Zoom refuses, retried: under way when the test goes on. */
async function rescheduleRetryingZoom(world: LessonWorld, handle: WorkflowHandle, times: LessonTimes) {
  world.zoomDown = true;
  await handle.signal('reschedule', times);
  await until('the reschedule retried', () => refused(world, 'zoom.update') >= 2);
}

describe('changes to a booked lesson', { concurrency: true }, () => {
  test('reschedules while one runs coalesce: the provider sees exactly the first and the last times', async () => {
    const { world, handle, times } = await bookedLesson();
    const held = gate();
    world.hold.reschedule = held.promise;
    await handle.signal('reschedule', times.T2);
    await until('the first reschedule running', () => world.entered.includes('rescheduleLessonMeeting'));
    await handle.signal('reschedule', times.T3);
    await handle.signal('reschedule', times.T4);
    held.open();
    // The first's emails go in the workflow task of its (local) provider step, before the others are seen.
    const expected = {
      calls: ['zoom.create@T1', 'zoom.update@T2', 'zoom.update@T4'],
      emails: ['booked v1@T1', 'rescheduled v2@T2', 'rescheduled v3@T4'],
    };
    const state = await assertOutcome(world, handle, expected);
    assert.equal(state.startsAt, times.T4.startsAt);
    await handle.terminate();
  });

  test('a reschedule to the times last asked for does nothing; with A → B under way, A again applies', async () => {
    const { world, handle, times } = await bookedLesson();
    await handle.signal('reschedule', times.T1); // the booking's own times
    const held = gate();
    world.hold.reschedule = held.promise;
    await handle.signal('reschedule', times.T2);
    await until('T2 running', () => world.entered.includes('rescheduleLessonMeeting'));
    await handle.signal('reschedule', times.T2); // the times under way: nothing
    await handle.signal('reschedule', times.T1); // back to the first: applies
    held.open();
    const expected = {
      calls: ['zoom.create@T1', 'zoom.update@T2', 'zoom.update@T1'],
      emails: ['booked v1@T1', 'rescheduled v2@T2', 'rescheduled v3@T1'],
    };
    await assertOutcome(world, handle, expected);
    await handle.signal('reschedule', times.T1); // the times last asked for, applied: nothing
    const state = await assertOutcome(world, handle, expected);
    assert.equal(state.version, 3);
    await handle.terminate();
  });

  test('a newer reschedule preempts one retrying Zoom: only the newer reaches the provider', async () => {
    const { world, handle, times } = await bookedLesson();
    await rescheduleRetryingZoom(world, handle, times.T2);
    world.zoomDown = false;
    await handle.signal('reschedule', times.T3);
    const expected = {
      calls: ['zoom.create@T1', 'zoom.update@T3'],
      emails: ['booked v1@T1', 'rescheduled v3@T3'],
    };
    await assertOutcome(world, handle, expected);
    await handle.terminate();
  });

  test('a cancel preempts a reschedule retrying Zoom: the meeting goes, both told', async () => {
    const { world, handle, times } = await bookedLesson();
    await rescheduleRetryingZoom(world, handle, times.T2);
    await handle.signal('cancel');
    assert.equal((await handle.result()).status, 'cancelled');
    assert.deepEqual(world.calls, ['zoom.create@T1', 'zoom.delete']);
    assert.deepEqual(world.emails, ['booked v1@T1', 'cancelled v3']);
  });

  test('a reschedule that Zoom fails until the new start minus the margin moves to Daily at the new times', async () => {
    const soon = timesIn(MARGIN + SECOND);
    const { world, handle, times } = await bookedLesson({ T2: soon });
    world.zoomDown = true;
    await handle.signal('reschedule', times.T2);
    const expected = {
      calls: ['zoom.create@T1', 'zoom.delete', 'daily.create@T2'],
      emails: ['booked v1@T1', 'rescheduled v2@T2'],
    };
    const state = await assertOutcome(world, handle, expected);
    assert.equal(state.provider, 'daily');
    await handle.terminate();
  });

  test("Zoom going away ends a reschedule's Zoom retries at once: Daily at the new times", async () => {
    const { world, handle, times } = await bookedLesson();
    await rescheduleRetryingZoom(world, handle, times.T2);
    await handle.signal('zoomDisconnected');
    const expected = {
      calls: ['zoom.create@T1', 'zoom.delete', 'daily.create@T2'],
      emails: ['booked v1@T1', 'rescheduled v2@T2'],
    };
    const state = await assertOutcome(world, handle, expected);
    assert.equal(state.provider, 'daily');
    await handle.terminate();
  });

  test("the tutor's Zoom going away moves a booked lesson to Daily, and people get the new link", async () => {
    const { world, handle } = await bookedLesson();
    world.zoomConnected = false;
    await handle.signal('zoomDisconnected');
    const expected = {
      calls: ['zoom.create@T1', 'zoom.delete', 'daily.create@T1'],
      emails: ['booked v1@T1', 'moved-to-daily v2@T1'],
    };
    const state = await assertOutcome(world, handle, expected);
    assert.equal(state.provider, 'daily');
    await handle.terminate();
  });

  test('a reschedule with bad times is ignored, and the lesson goes on', async () => {
    const { world, handle, times } = await bookedLesson();
    await handle.signal('reschedule', { startsAt: 'tomorrow', endsAt: times.T2.endsAt });
    await handle.signal('reschedule', times.T2);
    const expected = {
      calls: ['zoom.create@T1', 'zoom.update@T2'],
      emails: ['booked v1@T1', 'rescheduled v2@T2'],
    };
    await assertOutcome(world, handle, expected);
    await handle.terminate();
  });
});
