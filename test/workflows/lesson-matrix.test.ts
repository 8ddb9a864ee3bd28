import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LessonState } from '../../src/lessons/types';
import type { LessonWorld } from './fake-lesson-world';
import {
  assertOutcome,
  DAY,
  gate,
  MARGIN,
  SECOND,
  timesIn,
  shownOutcome,
  until,
  useLessonHarness,
} from './lesson-harness';

/**
 * Every command at every stage of a booking, against the lesson workflow with plain functions for
 * its activities. The table states each cell's outcome: what the providers did (successful calls
 * only: refused attempts vary with timing), the emails (each to both people), and the final state.
 *
 * Stages: the quick try (held running while the command comes), retrying Zoom (it answered 503 to
 * the quick try and a retry), and on Daily (Zoom's deadline passed; Daily answering 503). The
 * providers recover once the command is sent. "newer reschedule": T2 then T3; while retrying, T3
 * comes once the booking at T2 has begun (a version each). "end": no command; the lesson ends.
 */
type Stage = 'quick try' | 'retrying' | 'on Daily';
type Command = 'cancel' | 'reschedule' | 'newer reschedule' | 'zoom gone' | 'end';
type Cell = [calls: string[], emails: string[], final: string];

/**
 * Retrying (on Zoom, or on Daily), a command preempts the retries; an attempt already running goes
 * on, and the providers have recovered by then. What it made counts: if the workflow sees its
 * result, the command applies to it; if the workflow took the preemption at once (the attempt
 * not yet in the history), the next step finds that meeting, at its older times, and the workflow
 * moves it to the times asked, at a version more; if it lands after the next step made one, it
 * makes nothing. Either way one LessonBooked, at the times last asked for, or none on a cancel.
 */
const lateAttempt = {
  cancel: (made: string): Cell[] => [[[made, made.replace(/\.create@T1$/, '.delete')], [], 'cancelled']],
  /**
   * `made`: the attempt's meeting; `moved`: the reschedule that follows it; `v`: the LessonBooked's
   * version when the workflow saw the attempt's result, one more when it took the preemption first.
   */
  moved: (made: string, moved: string, v: number, final: (v: number) => string): Cell[] => [
    [[made, moved], [`booked v${v}@${moved.slice(-2)}`], final(v)],
    [[made, moved], [`booked v${v + 1}@${moved.slice(-2)}`], final(v + 1)],
  ],
};

const matrix: Array<[Stage, Command, ...Cell, alsoCorrect?: Cell[]]> = [
  ['quick try', 'cancel', ['zoom.create@T1', 'zoom.delete'], ['booked v1@T1', 'cancelled v2'], 'cancelled'],
  [
    'quick try',
    'reschedule',
    ['zoom.create@T1', 'zoom.update@T2'],
    ['booked v1@T1', 'rescheduled v2@T2'],
    'booked zoom T2 v2',
  ],
  [
    'quick try',
    'newer reschedule',
    ['zoom.create@T1', 'zoom.update@T3'],
    ['booked v1@T1', 'rescheduled v2@T3'],
    'booked zoom T3 v2',
  ],
  ['quick try', 'zoom gone', ['daily.create@T1'], ['booked v1@T1'], 'booked daily T1 v1'],
  ['quick try', 'end', ['zoom.create@T1'], ['booked v1@T1'], 'finished zoom T1 v1'],
  // A command preempts the retries: nothing made for a cancel, one LessonBooked at the new times.
  ['retrying', 'cancel', [], [], 'cancelled', lateAttempt.cancel('zoom.create@T1')],
  [
    'retrying',
    'reschedule',
    ['zoom.create@T2'],
    ['booked v2@T2'],
    'booked zoom T2 v2',
    lateAttempt.moved('zoom.create@T1', 'zoom.update@T2', 2, (v) => `booked zoom T2 v${v}`),
  ],
  [
    'retrying',
    'newer reschedule',
    ['zoom.create@T3'],
    ['booked v3@T3'],
    'booked zoom T3 v3',
    lateAttempt.moved('zoom.create@T2', 'zoom.update@T3', 3, (v) => `booked zoom T3 v${v}`),
  ],
  ['retrying', 'zoom gone', ['daily.create@T1'], ['booked v1@T1'], 'booked daily T1 v1'],
  ['retrying', 'end', ['zoom.create@T1'], ['booked v1@T1'], 'finished zoom T1 v1'],
  // A reschedule gives Zoom a new deadline (the new start minus the margin): back to Zoom. A Daily
  // room made by an attempt already running stays, though: the reschedule moves it.
  ['on Daily', 'cancel', [], [], 'cancelled', lateAttempt.cancel('daily.create@T1')],
  [
    'on Daily',
    'reschedule',
    ['zoom.create@T2'],
    ['booked v2@T2'],
    'booked zoom T2 v2',
    lateAttempt.moved('daily.create@T1', 'daily.update@T2', 2, (v) => `booked daily T2 v${v}`),
  ],
  [
    'on Daily',
    'newer reschedule',
    ['zoom.create@T3'],
    ['booked v3@T3'],
    'booked zoom T3 v3',
    lateAttempt.moved('zoom.create@T2', 'zoom.update@T3', 3, (v) => `booked zoom T3 v${v}`),
  ],
  ['on Daily', 'zoom gone', ['daily.create@T1'], ['booked v1@T1'], 'booked daily T1 v1'],
  ['on Daily', 'end', ['daily.create@T1', 'daily.delete'], ['booked v1@T1'], 'finished daily T1 v1'],
];

const lessons = useLessonHarness();

/** The lesson's times: far ahead, or (on Daily) within the margin, or (the end) ending in seconds. */
function timesFor(stage: Stage, command: Command) {
  const T1 =
    command === 'end'
      ? timesIn(3 * SECOND, 3 * SECOND)
      : stage === 'on Daily'
        ? timesIn(MARGIN + SECOND)
        : timesIn(2 * DAY);
  const later = (days: number) => ({
    startsAt: new Date(Date.parse(T1.startsAt) + days * DAY).toISOString(),
    endsAt: new Date(Date.parse(T1.endsAt) + days * DAY).toISOString(),
  });
  return { T1, T2: later(1), T3: later(2) };
}

const refusedCount = (world: LessonWorld, call: string) => world.refused.filter((c) => c === call).length;

function describeState(state: LessonState, labels: Map<string, string>): string {
  if (state.status === 'cancelled') return 'cancelled';
  return `${state.status} ${state.provider} ${labels.get(state.startsAt)} v${state.version}`;
}

describe('the lesson workflow: each command at each stage of a booking', { concurrency: true }, () => {
  for (const [stage, command, calls, emails, final, alsoCorrect = []] of matrix) {
    const orElse = alsoCorrect.length ? ' (or an attempt already running makes one first)' : '';
    test(`${command} while ${stage}: ${calls.join(', ') || 'no provider call'}${orElse}; ${emails.join(', ') || 'no email'}; ${final}`, async () => {
      const times = timesFor(stage, command);
      const held = gate();
      const { world, handle } = await lessons().start({
        times,
        // The end: no margin, so that Zoom is retried (10 s at least) while the lesson is still ahead.
        settings:
          command === 'end'
            ? { zoomFallbackMarginMinutes: 0, zoomRetryFloorSeconds: stage === 'retrying' ? 10 : 2 }
            : {},
        prepare: (w) => {
          if (stage === 'quick try') w.hold.booking = held.promise;
          w.zoomDown = stage !== 'quick try';
          w.dailyDown = stage === 'on Daily';
        },
      });
      if (stage === 'quick try')
        await until('the quick try', () => world.entered.includes('bookLessonMeeting'));
      if (stage === 'retrying') await until('a retry refused', () => refusedCount(world, 'zoom.create') >= 2);
      if (stage === 'on Daily') await until('Daily refused', () => refusedCount(world, 'daily.create') >= 1);

      if (command === 'cancel') await handle.signal('cancel');
      if (command === 'reschedule' || command === 'newer reschedule')
        await handle.signal('reschedule', times.T2);
      if (command === 'newer reschedule') {
        // Retrying: the booking at T2 begins (Zoom refuses it) before T3 preempts it in turn.
        const refused = refusedCount(world, 'zoom.create');
        if (stage !== 'quick try')
          await until('T2 refused', () => refusedCount(world, 'zoom.create') > refused);
        await handle.signal('reschedule', times.T3);
      }
      if (command === 'zoom gone') {
        world.zoomConnected = false;
        await handle.signal('zoomDisconnected');
      }
      Object.assign(world, { zoomDown: false, dailyDown: false });
      held.open();

      if (command === 'cancel' || command === 'end') await handle.result();
      const cells: Cell[] = [[calls, emails, final], ...alsoCorrect];
      const oneOf = cells.map(([c, e]) => ({ calls: c, emails: e }));
      const state = await assertOutcome(world, handle, { oneOf });
      const shown = cells[shownOutcome(world, { oneOf })] as Cell;
      assert.equal(describeState(state, world.labels), shown[2]);
      if (command !== 'cancel' && command !== 'end') await handle.terminate('test over');
    });
  }
});
