import { log, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import {
  cancelSignal,
  lessonStateQuery,
  rescheduleSignal,
  zoomDisconnectedSignal,
} from '../lessons/definitions';
import type { LessonTimes } from '../lessons/schemas';
import type { LessonMeetingInput, LessonState } from '../lessons/types';
import { MeetingProvider } from '../temporal/search-attributes';

/** One lesson's workflow: its input, what it answers to queries, and the commands not acted on yet. */
export interface LessonRun {
  input: LessonMeetingInput;
  /** Answered to the query; `pendingReschedule` is a reschedule not begun yet. */
  state: LessonState;
  /** The times last asked for, applied or under way: asking for them again changes nothing. */
  latestTimes: LessonTimes;
  cancelRequested: boolean;
  zoomGone: boolean;
  /** A LessonBooked email may have gone to someone: a cancel is then announced (to those the ledger names). */
  mayHaveToldAnyone: boolean;
}

export const sameTimes = (a: LessonTimes, b: LessonTimes): boolean =>
  Date.parse(a.startsAt) === Date.parse(b.startsAt) && Date.parse(a.endsAt) === Date.parse(b.endsAt);

const areTimes = (t: Partial<LessonTimes> | undefined): t is LessonTimes =>
  typeof t?.startsAt === 'string' &&
  typeof t.endsAt === 'string' &&
  Date.parse(t.endsAt) > Date.parse(t.startsAt);

/** The lesson's state, and the handlers that record each command for the steps to act on. */
export function openLesson(input: LessonMeetingInput): LessonRun {
  const { booking } = input;
  const times = { startsAt: booking.startsAt, endsAt: booking.endsAt };
  const run: LessonRun = {
    input,
    state: { lessonId: booking.id, status: 'booking', ...times, version: 1 },
    latestTimes: times,
    cancelRequested: false,
    zoomGone: false,
    mayHaveToldAnyone: false,
  };
  setHandler(rescheduleSignal, (request) => {
    // The API and the client validate with lessonTimesSchema; a signal sent by hand is only
    // checked here (zod stays out of the workflow bundle), so that it can't fail a step later.
    if (!areTimes(request)) return log.warn('reschedule ignored: invalid times', { request });
    if (sameTimes(request, run.latestTimes)) return;
    run.latestTimes = run.state.pendingReschedule = { startsAt: request.startsAt, endsAt: request.endsAt };
  });
  setHandler(cancelSignal, () => void (run.cancelRequested = true));
  setHandler(zoomDisconnectedSignal, () => void (run.zoomGone = true));
  setHandler(lessonStateQuery, () => run.state);
  return run;
}

/** A command that a step still retrying yields to: a cancel, or a reschedule not begun yet. */
export const commandWaiting = (run: LessonRun): boolean =>
  run.cancelRequested || run.state.pendingReschedule !== undefined;

/** Begins the pending reschedule, at the lesson's next version. */
export function takeReschedule(run: LessonRun): LessonTimes & { lessonId: string; version: number } {
  const times = run.state.pendingReschedule ?? run.latestTimes;
  run.state.pendingReschedule = undefined;
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
  if (times) Object.assign(run.state, { startsAt: times.startsAt, endsAt: times.endsAt });
}
