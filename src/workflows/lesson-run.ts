import { condition, upsertSearchAttributes } from '@temporalio/workflow';
import type { LessonTimes } from '../lessons/schemas';
import type { CancelResult, LessonMeetingInput, LessonState, RescheduleResult } from '../lessons/types';
import { MeetingProvider } from '../temporal/search-attributes';
import { RequestMemory } from './lesson-requests';

/** One lesson's workflow: its input, what it answers to queries, and the commands not acted on yet. */
export interface LessonRun {
  input: LessonMeetingInput;
  /** Answered to the query; `pendingReschedule` is a reschedule not begun yet. */
  state: LessonState;
  /** The times last asked for, applied or under way: asking for them again changes nothing. */
  latestTimes: LessonTimes;
  /** Reschedules are numbered as they are accepted: the latest's number (0: the booking's times). */
  latestSeq: number;
  /** The number of the reschedule a step took up last, and of the one the meeting has (-1: none yet). */
  takenSeq: number;
  appliedSeq: number;
  cancelRequested: boolean;
  /** The lesson's end plus grace has come: it is being finished, and takes no more commands. */
  finishing: boolean;
  zoomGone: boolean;
  /** A LessonBooked email may have gone to someone: a cancel is then announced (to those the ledger names). */
  mayHaveToldAnyone: boolean;
  requests: RequestMemory;
}

export const sameTimes = (a: LessonTimes, b: LessonTimes): boolean =>
  Date.parse(a.startsAt) === Date.parse(b.startsAt) && Date.parse(a.endsAt) === Date.parse(b.endsAt);

export function newRun(input: LessonMeetingInput): LessonRun {
  const { booking } = input;
  const times = { startsAt: booking.startsAt, endsAt: booking.endsAt };
  return {
    input,
    state: { lessonId: booking.id, status: 'booking', ...times, version: 1, droppedSignals: 0 },
    latestTimes: times,
    latestSeq: 0,
    takenSeq: 0,
    appliedSeq: -1,
    cancelRequested: false,
    finishing: false,
    zoomGone: false,
    mayHaveToldAnyone: false,
    requests: new RequestMemory(),
  };
}

/**
 * Records a reschedule for the steps; its number. The times last asked for change nothing: the
 * number is then theirs, and so is the answer.
 */
export function requestReschedule(run: LessonRun, times: LessonTimes): number {
  if (sameTimes(times, run.latestTimes)) return run.latestSeq;
  run.latestTimes = run.state.pendingReschedule = { startsAt: times.startsAt, endsAt: times.endsAt };
  return ++run.latestSeq;
}

/** A command that a step still retrying yields to: a cancel, or a reschedule not begun yet. */
export const commandWaiting = (run: LessonRun): boolean =>
  run.cancelRequested || run.state.pendingReschedule !== undefined;

/** Begins the pending reschedule, at the lesson's next version. */
export function takeReschedule(run: LessonRun): LessonTimes & { lessonId: string; version: number } {
  const times = run.state.pendingReschedule ?? run.latestTimes;
  run.state.pendingReschedule = undefined;
  run.takenSeq = run.latestSeq; // the pending times are always the latest asked for
  run.state.version += 1;
  return { lessonId: run.state.lessonId, ...times, version: run.state.version };
}

/** The lesson's meeting as a step left it; the MeetingProvider search attribute follows it. */
export function recordMeeting(
  run: LessonRun,
  meeting: { provider: 'zoom' | 'daily'; meetingId: string },
  times?: LessonTimes,
): void {
  if (meeting.provider !== run.state.provider)
    upsertSearchAttributes([{ key: MeetingProvider, value: meeting.provider }]);
  Object.assign(run.state, { provider: meeting.provider, meetingId: meeting.meetingId });
  if (!times) return;
  Object.assign(run.state, { startsAt: times.startsAt, endsAt: times.endsAt });
  run.appliedSeq = run.takenSeq; // the times a step took up are the meeting's
}

/** A reschedule's answer: once the meeting has its times, or once a newer command superseded it. */
export async function rescheduleAnswer(run: LessonRun, seq: number): Promise<RescheduleResult> {
  const superseded = () => run.latestSeq > seq || run.cancelRequested || run.finishing;
  await condition(() => run.appliedSeq >= seq || superseded());
  const { provider, meetingId, startsAt, endsAt, version } = run.state;
  return { provider, meetingId, startsAt, endsAt, version, superseded: superseded() };
}

/** A cancel's answer, once the meeting is gone: every cancel of the lesson gets the same. */
export async function cancelAnswer(run: LessonRun): Promise<CancelResult> {
  await condition(() => run.state.status === 'cancelled');
  return { status: 'cancelled', version: run.state.version };
}
