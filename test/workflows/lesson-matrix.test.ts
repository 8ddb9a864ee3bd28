import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import type { LessonState } from '../../src/lessons/types';
import type { LessonWorld } from './fake-lesson-world';
import { assertOutcome, DAY, gate, MARGIN, SECOND, timesIn, until, useLessonHarness } from './lesson-harness';

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
/**
 * Retrying (Zoom, or Daily), a command preempts the retries, but an attempt already handed to the
 * worker runs on, and the providers have recovered by then: what it made counts, and the command
 * applies to it (created, then deleted or moved). The same emails either way.
 */
type IfAttemptRunning = { calls: string[]; final: string };

const matrix: Array<
  [Stage, Command, calls: string[], emails: string[], final: string, ifAttemptRunning?: IfAttemptRunning]
> = [
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
  [
    'retrying',
    'cancel',
    [],
    [],
    'cancelled',
    { calls: ['zoom.create@T1', 'zoom.delete'], final: 'cancelled' },
  ],
  [
    'retrying',
    'reschedule',
    ['zoom.create@T2'],
    ['booked v2@T2'],
    'booked zoom T2 v2',
    { calls: ['zoom.create@T1', 'zoom.update@T2'], final: 'booked zoom T2 v2' },
  ],
  [
    'retrying',
    'newer reschedule',
    ['zoom.create@T3'],
    ['booked v3@T3'],
    'booked zoom T3 v3',
    { calls: ['zoom.create@T2', 'zoom.update@T3'], final: 'booked zoom T3 v3' },
  ],
  ['retrying', 'zoom gone', ['daily.create@T1'], ['booked v1@T1'], 'booked daily T1 v1'],
  ['retrying', 'end', ['zoom.create@T1'], ['booked v1@T1'], 'finished zoom T1 v1'],
  // A reschedule gives Zoom a new deadline (the new start minus the margin): back to Zoom. A Daily
  // room made by an attempt already running stays, though: the reschedule moves it.
  [
    'on Daily',
    'cancel',
    [],
    [],
    'cancelled',
    { calls: ['daily.create@T1', 'daily.delete'], final: 'cancelled' },
  ],
  [
    'on Daily',
    'reschedule',
    ['zoom.create@T2'],
    ['booked v2@T2'],
    'booked zoom T2 v2',
    { calls: ['daily.create@T1', 'daily.update@T2'], final: 'booked daily T2 v2' },
  ],
  [
    'on Daily',
    'newer reschedule',
    ['zoom.create@T3'],
    ['booked v3@T3'],
    'booked zoom T3 v3',
    { calls: ['zoom.create@T2', 'zoom.update@T3'], final: 'booked zoom T3 v3' },
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
  for (const [stage, command, calls, emails, final, ifAttemptRunning] of matrix) {
    const orElse = ifAttemptRunning ? ` (or ${ifAttemptRunning.calls.join(', ')})` : '';
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
      const expected = ifAttemptRunning ? { oneOf: [calls, ifAttemptRunning.calls] } : calls;
      const state = await assertOutcome(world, handle, { calls: expected, emails });
      const ran = ifAttemptRunning && isDeepStrictEqual(world.calls, ifAttemptRunning.calls);
      assert.equal(describeState(state, world.labels), ran ? ifAttemptRunning.final : final);
      if (command !== 'cancel' && command !== 'end') await handle.terminate('test over');
    });
  }
});
