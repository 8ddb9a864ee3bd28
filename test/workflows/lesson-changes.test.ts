import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WorkflowHandle } from '@temporalio/client';
import type { LessonTimes } from '../../src/lessons/schemas';
import type { LessonState } from '../../src/lessons/types';
import type { LessonWorld } from './fake-lesson-world';
import { assertOutcome, DAY, gate, MARGIN, SECOND, timesIn, until, useLessonHarness } from './lesson-harness';

/** Changes to a booked lesson: reschedules (coalesced, repeated, preempted), moves, cancels. */

const lessons = useLessonHarness();

const shift = (t: LessonTimes, ms: number): LessonTimes => ({
  startsAt: new Date(Date.parse(t.startsAt) + ms).toISOString(),
  endsAt: new Date(Date.parse(t.endsAt) + ms).toISOString(),
});

type Times = Record<'T1' | 'T2' | 'T3' | 'T4', LessonTimes>;
interface BookedLesson {
  world: LessonWorld;
  handle: WorkflowHandle;
  times: Times;
}
interface Outcome {
  calls: string[];
  emails: string[];
}

/**
 * The scenario of each test: a lesson booked on Zoom at T1 (two days ahead, with T2, T3, T4 a day
 * apart after it, unless `times` says otherwise), then `change`, then exactly the `expected`
 * provider calls and emails. Returns the lesson with its final state; a workflow still running is ended.
 */
async function bookThenChange(
  change: (lesson: BookedLesson) => Promise<void>,
  expected: Outcome,
  times: Partial<Times> = {},
): Promise<BookedLesson & { state: LessonState }> {
  const T1 = timesIn(2 * DAY);
  const all = { T1, T2: shift(T1, DAY), T3: shift(T1, 2 * DAY), T4: shift(T1, 3 * DAY), ...times };
  const { world, handle } = await lessons().start({ times: all });
  await until('booked', () => world.emails.includes('booked v1@T1'));
  const lesson = { world, handle, times: all };
  await change(lesson);
  const state = await assertOutcome(world, handle, expected);
  if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test over');
  return { ...lesson, state };
}

const refused = (world: LessonWorld, call: string) => world.refused.filter((c) => c === call).length;

/** A reschedule to `times` that Zoom refuses, retried: under way when the test goes on. */
async function rescheduleRetryingZoom({ world, handle }: BookedLesson, times: LessonTimes) {
  world.zoomDown = true;
  await handle.signal('reschedule', times);
  await until('the reschedule retried', () => refused(world, 'zoom.update') >= 2);
}

describe('changes to a booked lesson', { concurrency: true }, () => {
  test('reschedules while one runs coalesce: the provider sees exactly the first and the last times', async () => {
    const { state, times } = await bookThenChange(
      async ({ world, handle, times }) => {
        const held = gate();
        world.hold.reschedule = held.promise;
        await handle.signal('reschedule', times.T2);
        await until('the first reschedule running', () => world.entered.includes('rescheduleLessonMeeting'));
        await handle.signal('reschedule', times.T3);
        await handle.signal('reschedule', times.T4);
        held.open();
      },
      // The first's emails go in the workflow task of its (local) provider step, before the others are seen.
      {
        calls: ['zoom.create@T1', 'zoom.update@T2', 'zoom.update@T4'],
        emails: ['booked v1@T1', 'rescheduled v2@T2', 'rescheduled v3@T4'],
      },
    );
    assert.equal(state.startsAt, times.T4.startsAt);
  });

  test('a reschedule to the times last asked for does nothing; with A → B under way, A again applies', async () => {
    const expected = {
      calls: ['zoom.create@T1', 'zoom.update@T2', 'zoom.update@T1'],
      emails: ['booked v1@T1', 'rescheduled v2@T2', 'rescheduled v3@T1'],
    };
    const { state } = await bookThenChange(async ({ world, handle, times }) => {
      await handle.signal('reschedule', times.T1); // the booking's own times
      const held = gate();
      world.hold.reschedule = held.promise;
      await handle.signal('reschedule', times.T2);
      await until('T2 running', () => world.entered.includes('rescheduleLessonMeeting'));
      await handle.signal('reschedule', times.T2); // the times under way: nothing
      await handle.signal('reschedule', times.T1); // back to the first: applies
      held.open();
      await assertOutcome(world, handle, expected);
      await handle.signal('reschedule', times.T1); // the times last asked for, applied: nothing
    }, expected);
    assert.equal(state.version, 3);
  });

  test('a newer reschedule preempts one retrying Zoom: only the newer reaches the provider', async () => {
    await bookThenChange(
      async (lesson) => {
        await rescheduleRetryingZoom(lesson, lesson.times.T2);
        // Zoom comes back only once T3 took over: no attempt at T2 can succeed meanwhile.
        const refusedBefore = refused(lesson.world, 'zoom.update');
        await lesson.handle.signal('reschedule', lesson.times.T3);
        await until('T3 tried', () => refused(lesson.world, 'zoom.update') > refusedBefore);
        lesson.world.zoomDown = false;
      },
      { calls: ['zoom.create@T1', 'zoom.update@T3'], emails: ['booked v1@T1', 'rescheduled v3@T3'] },
    );
  });

  // A retried activity's running attempt is not in the history until it ends, so the workflow
  // counts it as not started and takes the preemption at once: the newer reschedule then waits for
  // the lesson's lock (held by the attempt), and the provider ends at the newer times.
  test('a newer reschedule preempts one whose retry attempt is running: the provider still ends at the newer times', async () => {
    const attempt = gate();
    await bookThenChange(
      async (lesson) => {
        const { world, handle, times } = lesson;
        await rescheduleRetryingZoom(lesson, times.T2);
        const entered = world.entered.length;
        world.hold.reschedule = attempt.promise; // the next attempt at T2 runs, held
        world.zoomDown = false;
        await until('a T2 attempt running', () => world.entered.length > entered);
        world.hold.reschedule = undefined;
        await handle.signal('reschedule', times.T3);
        await sleep(SECOND); // T3's try waits behind the running attempt
        assert.ok(!world.calls.includes('zoom.update@T3'), 'T3 waits for the attempt under way');
        attempt.open();
        await until('both updates made', () => world.calls.length >= 3);
        assert.equal(world.calls.at(-1), 'zoom.update@T3', 'the provider ends at the newer times');
      },
      {
        calls: ['zoom.create@T1', 'zoom.update@T2', 'zoom.update@T3'],
        emails: ['booked v1@T1', 'rescheduled v3@T3'],
      },
    );
  });

  test('a cancel preempts a reschedule retrying Zoom: the meeting goes, both told', async () => {
    const { handle } = await bookThenChange(
      async (lesson) => {
        await rescheduleRetryingZoom(lesson, lesson.times.T2);
        await lesson.handle.signal('cancel');
      },
      { calls: ['zoom.create@T1', 'zoom.delete'], emails: ['booked v1@T1', 'cancelled v3'] },
    );
    assert.equal((await handle.result()).status, 'cancelled');
  });

  test('a reschedule that Zoom fails until the new start minus the margin moves to Daily at the new times', async () => {
    const { state } = await bookThenChange(
      async ({ world, handle, times }) => {
        world.zoomDown = true;
        await handle.signal('reschedule', times.T2);
      },
      {
        calls: ['zoom.create@T1', 'zoom.delete', 'daily.create@T2'],
        emails: ['booked v1@T1', 'rescheduled v2@T2'],
      },
      { T2: timesIn(MARGIN + SECOND) },
    );
    assert.equal(state.provider, 'daily');
  });

  test("Zoom going away ends a reschedule's Zoom retries at once: Daily at the new times", async () => {
    const { state } = await bookThenChange(
      async (lesson) => {
        await rescheduleRetryingZoom(lesson, lesson.times.T2);
        await lesson.handle.signal('zoomDisconnected');
      },
      {
        calls: ['zoom.create@T1', 'zoom.delete', 'daily.create@T2'],
        emails: ['booked v1@T1', 'rescheduled v2@T2'],
      },
    );
    assert.equal(state.provider, 'daily');
  });

  test("the tutor's Zoom going away moves a booked lesson to Daily, and people get the new link", async () => {
    const { state } = await bookThenChange(
      async ({ world, handle }) => {
        world.zoomConnected = false;
        await handle.signal('zoomDisconnected');
      },
      {
        calls: ['zoom.create@T1', 'zoom.delete', 'daily.create@T1'],
        emails: ['booked v1@T1', 'moved-to-daily v2@T1'],
      },
    );
    assert.equal(state.provider, 'daily');
  });

  test('a reschedule with bad times is ignored, and the lesson goes on', async () => {
    await bookThenChange(
      async ({ handle, times }) => {
        await handle.signal('reschedule', { startsAt: 'tomorrow', endsAt: times.T2.endsAt });
        await handle.signal('reschedule', times.T2);
      },
      { calls: ['zoom.create@T1', 'zoom.update@T2'], emails: ['booked v1@T1', 'rescheduled v2@T2'] },
    );
  });
});
