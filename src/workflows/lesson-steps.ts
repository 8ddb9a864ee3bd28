import { allHandlersFinished, condition } from '@temporalio/workflow';
import type { LessonActivities } from '../activities/lessons';
import type { LessonState } from '../lessons/types';
import { commandWaiting, recordMeeting, sameTimes, takeReschedule, type LessonRun } from './lesson-run';
import {
  localSteps,
  localTryFailed,
  onceLocally,
  retriedSteps,
  stepsUntil,
  unlessPreempted,
  zoomThenDaily,
} from './step-runners';

/** The lesson workflow's steps, each named after what it does to the lesson. */

const MINUTE = 60_000;
type MeetingOutcome = Awaited<ReturnType<LessonActivities['rescheduleLessonMeeting']>>;
type Booked = MeetingOutcome & { announced?: boolean };

/** Zoom is retried until the lesson's start minus the margin, and at least the retry floor. */
function zoomDeadline(run: LessonRun, startsAt: string): number {
  const { zoomFallbackMarginMinutes, zoomRetryFloorSeconds } = run.input.settings;
  return Math.max(
    zoomRetryFloorSeconds * 1000,
    Date.parse(startsAt) - zoomFallbackMarginMinutes * MINUTE - Date.now(),
  );
}

const zoomGoneFor = (run: LessonRun) => () => run.zoomGone;

/**
 * Books the lesson: its meeting (Zoom when the tutor connected it, else Daily; Daily after Zoom's
 * deadline), then the LessonBooked emails, once, at the times last asked for. False: cancelled first.
 */
export async function book(run: LessonRun): Promise<boolean> {
  if (run.cancelRequested) return false;
  let made = await tryBookingQuickly(run);
  // A command preempts the retries: a reschedule moves the booking (and its deadline) at once.
  while (!made) {
    if (run.cancelRequested) return false;
    if (run.state.pendingReschedule) Object.assign(run.state, takeReschedule(run));
    made = await createMeeting(run);
  }
  if ('cancelled' in made) return false;
  // Booked again after its workflow failed, the lesson continues from its row's version and times.
  run.state.version = Math.max(run.state.version, made.version ?? 1);
  recordMeeting(run, made, {
    startsAt: made.startsAt ?? run.state.startsAt,
    endsAt: made.endsAt ?? run.state.endsAt,
  });
  run.state.status = 'booked';
  keepLatestTimes(run);
  return made.announced === true || announce(run, made.zoomFallbackReason);
}

/** The meeting and its emails in one local activity, tried once: nearly every booking ends here. */
async function tryBookingQuickly(run: LessonRun): Promise<Booked | { cancelled: true } | undefined> {
  const { booking, bookingHash } = run.input;
  try {
    const made = await onceLocally.bookLessonMeeting({ booking, bookingHash, version: run.state.version });
    run.mayHaveToldAnyone = !('cancelled' in made);
    return made;
  } catch (error) {
    if (!localTryFailed(error)) throw error;
    run.mayHaveToldAnyone = true; // it may have failed after an email went
    return undefined;
  }
}

/** The meeting alone, retried until Zoom's deadline, then on Daily; undefined when a command preempted it. */
async function createMeeting(run: LessonRun): Promise<Booked | { cancelled: true } | undefined> {
  const { booking, bookingHash } = run.input;
  const { startsAt, endsAt, version } = run.state;
  // Moved before it was made: the row takes the new times first.
  const times = sameTimes(run.state, booking) ? undefined : { startsAt, endsAt, version };
  const input = { booking, bookingHash, times };
  const made = await zoomThenDaily(
    {
      onZoom: () => stepsUntil(zoomDeadline(run, startsAt)).createLessonMeeting(input),
      onDaily: async (zoomFallbackReason) => {
        const onDaily = await retriedSteps.createLessonMeeting({ ...input, forceDaily: true });
        return 'cancelled' in onDaily ? onDaily : { ...onDaily, zoomFallbackReason };
      },
    },
    () => commandWaiting(run),
    zoomGoneFor(run),
  );
  return made === 'preempted' ? undefined : made;
}

/**
 * The times last asked for are the meeting's, unless a reschedule came while it was made at older
 * ones: that one then applies before anyone is told. A lesson booked again keeps its row's times.
 */
function keepLatestTimes(run: LessonRun): void {
  if (sameTimes(run.latestTimes, run.state) || run.state.pendingReschedule) return;
  if (sameTimes(run.latestTimes, run.input.booking)) run.latestTimes = { ...run.state };
  else run.state.pendingReschedule = run.latestTimes;
}

/**
 * The LessonBooked emails. Until they have gone, a command comes first: a reschedule or a move
 * changes what they announce (one LessonBooked, at the new times or on Daily), a cancel ends it.
 */
async function announce(run: LessonRun, zoomFallbackReason?: string): Promise<boolean> {
  for (;;) {
    if (run.cancelRequested) return false;
    if (run.state.pendingReschedule) await applyReschedule(run, { quietly: true });
    else if (run.zoomGone && run.state.provider === 'zoom') await moveToDaily(run, { quietly: true });
    else {
      run.mayHaveToldAnyone = true;
      const { lessonId, version } = run.state;
      const sent = await unlessPreempted(
        () => localSteps.sendLessonEmails({ lessonId, event: 'booked', version, zoomFallbackReason }),
        () => commandWaiting(run) || (run.zoomGone && run.state.provider === 'zoom'),
      );
      if (sent !== 'preempted') return true;
    }
  }
}

/** What woke the lesson up: a command, or the end plus grace. */
export async function nextCommand(run: LessonRun): Promise<'cancel' | 'reschedule' | 'zoom-gone' | 'end'> {
  const endsAt = Date.parse(run.state.endsAt) + run.input.settings.graceMinutes * MINUTE;
  // In a loop by the caller, so that a reschedule moves the wake-up.
  await condition(() => commandWaiting(run) || run.zoomGone, Math.max(1, endsAt - Date.now()));
  if (run.cancelRequested) return 'cancel';
  if (run.state.pendingReschedule) return 'reschedule';
  return run.zoomGone ? 'zoom-gone' : 'end';
}

/**
 * The latest reschedule: the provider's meeting moves (to Daily after Zoom's deadline for the new
 * start), then the Rescheduled emails. A cancel or a newer reschedule preempts it.
 */
export async function applyReschedule(run: LessonRun, { quietly = false } = {}): Promise<void> {
  const move = takeReschedule(run);
  const moved = await zoomThenDaily(
    {
      quick: () => onceLocally.rescheduleLessonMeeting(move),
      onZoom: () => stepsUntil(zoomDeadline(run, move.startsAt)).rescheduleLessonMeeting(move),
      onDaily: () => retriedSteps.rescheduleLessonMeeting({ ...move, forceDaily: true }),
    },
    () => commandWaiting(run),
    zoomGoneFor(run),
  );
  if (moved === 'preempted') return; // what preempted it comes next
  recordMeeting(run, moved, move);
  if (!quietly) await tell(run, 'rescheduled');
}

/** The tutor's Zoom went away: the lesson moves to a Daily room, and people get the new link. */
export async function moveToDaily(run: LessonRun, { quietly = false } = {}): Promise<void> {
  run.zoomGone = false;
  if (run.state.provider !== 'zoom') return;
  const version = run.state.version + 1;
  const moved = await unlessPreempted(
    () => localSteps.moveLessonToDaily({ lessonId: run.state.lessonId, version }),
    () => commandWaiting(run),
  );
  // Preempted: the command first, then the move again if the lesson is still on Zoom.
  if (moved === 'preempted') return void (run.zoomGone = true);
  if (!moved) return; // nothing to move: cancelled meanwhile
  run.state.version = version;
  recordMeeting(run, moved);
  if (!quietly) await tell(run, 'moved-to-daily');
}

/** A change's emails, at the lesson's version; skipped once a newer command makes them stale. */
async function tell(run: LessonRun, event: 'rescheduled' | 'moved-to-daily'): Promise<void> {
  const { lessonId, version } = run.state;
  await unlessPreempted(
    () => localSteps.sendLessonEmails({ lessonId, event, version }),
    () => commandWaiting(run),
  );
}

/** Cancelled: the meeting goes, and those who may have been told hear of it. */
export async function cancel(run: LessonRun): Promise<LessonState> {
  const { booking, bookingHash } = run.input;
  await localSteps.cancelLessonMeeting({ booking, bookingHash });
  if (run.mayHaveToldAnyone)
    await localSteps.sendLessonEmails({
      lessonId: booking.id,
      event: 'cancelled',
      version: run.state.version + 1,
    });
  run.state.status = 'cancelled';
  return answered(run);
}

/** The end plus grace: the Daily room goes, the lesson is finished. */
export async function finish(run: LessonRun): Promise<LessonState> {
  run.finishing = true; // Updates are refused from now on; those waiting are answered
  await localSteps.finishLesson({ lessonId: run.state.lessonId });
  run.state.status = 'finished';
  return answered(run);
}

/** The lesson's final state, once every Update waiting has its answer: none is left unanswered. */
async function answered(run: LessonRun): Promise<LessonState> {
  await condition(allHandlersFinished);
  return run.state;
}
