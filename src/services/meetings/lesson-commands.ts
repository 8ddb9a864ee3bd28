import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Clock } from '../../clock';
import type { LessonRow, LessonsStore } from '../../db/stores/lessons-store';
import { lessonWorkflowId } from '../../lessons/ids';
import type { LessonSettings } from '../../lessons/settings';
import type { CancelResult, RescheduleRequest, RescheduleResult } from '../../lessons/types';
import { withinDeadline } from '../../temporal/deadline';
import type { TemporalCallTiming } from '../../temporal/env';
import { addLogContext } from '../../observability/log-context';
import {
  ZOOM_DEAUTHORIZATION_WORKFLOW_TYPE,
  zoomDeauthorizationWorkflowId,
  type ZoomDeauthorizationInput,
} from '../../temporal/zoom-deauthorization';
import {
  admitBooking,
  admitCancel,
  admitReschedule,
  BookingRejectedError,
  checkRepeatedBooking,
} from './booking-admission';
import type { CommandOutcome } from './lesson-command-delivery';
import type { LessonMeetings } from './lesson-meetings';
import { createLessonWorkflows, type SignalOutcome } from './lesson-workflows';

/** What the service has recorded of its lessons; a booking system that talks to Temporal alone has none. */
export interface LessonRecords {
  lessons: Pick<LessonsStore, 'find' | 'setStatus' | 'upcomingZoomLessonsOfTutor'>;
  meetings: Pick<LessonMeetings, 'recordBooking' | 'overAt' | 'links'>;
}

export interface LessonCommandsDeps {
  client: Client;
  taskQueue: string;
  settings: LessonSettings;
  timing: TemporalCallTiming;
  clock: Clock;
  /** MAX_BOOKING_HORIZON_DAYS: how far ahead a lesson may start. */
  horizonDays: number;
  /**
   * The service's lesson rows. Absent in the typed booking client: there the workflow's first
   * activity records the lesson, and a reschedule or cancel reports whether its workflow ran.
   */
  records?: LessonRecords;
}

/**
 * Every change to a lesson, whichever way it comes in (HTTP API, typed booking client, Zoom
 * webhook, activities): the rules live here once. Rule breaks throw BookingRejectedError; the
 * callers only map it to their own answers.
 */
export function createLessonCommands(deps: LessonCommandsDeps) {
  const { records, clock } = deps;
  const workflows = createLessonWorkflows(deps);
  const bookingWindow = () => ({ now: clock.now(), horizonDays: deps.horizonDays });

  const recorded = (): LessonRecords => {
    if (!records) throw new Error('lesson records are needed for this command');
    return records;
  };
  const recordedLesson = async (id: string): Promise<LessonRow> => {
    const lesson = await recorded().lessons.find(id);
    if (!lesson) throw new BookingRejectedError('unknown_lesson', `No lesson ${id}`);
    addLogContext({ lessonId: id, tutorId: lesson.tutorId, workflowId: lesson.workflowId });
    return lesson;
  };
  // Over (its end plus grace passed): its workflow is finishing it, and would ignore a signal.
  const isOver = (lesson: LessonRow): boolean =>
    lesson.status === 'finished' || recorded().meetings.overAt(lesson) <= clock.now();

  // Generated when the caller gave none: the Update and the fallback signal then carry the same one.
  const withRequestId = <T extends { requestId?: string }>(request: T): T & { requestId: string } => ({
    ...request,
    requestId: request.requestId ?? randomUUID(),
  });

  const rescheduleRecorded = async (
    lessonId: string,
    request: RescheduleRequest,
  ): Promise<CommandOutcome<RescheduleResult>> => {
    const lesson = await recordedLesson(lessonId);
    if (lesson.status === 'booked' && isOver(lesson))
      throw new BookingRejectedError('lesson_ended', `Lesson ${lessonId} has ended`);
    if (lesson.status !== 'booked')
      throw new BookingRejectedError('lesson_not_active', `Lesson ${lessonId} is ${lesson.status}`);
    const outcome = await workflows.reschedule(lessonId, withRequestId(request));
    if (outcome.state !== 'not-running') return outcome;
    const why = (await workflows.hasWorkflow(lessonId))
      ? 'is no longer running'
      : 'was never started (its booking was answered 503): send the booking again first';
    throw new BookingRejectedError('lesson_not_active', `Lesson ${lessonId} ${why}`);
  };

  return {
    /** For a retried step of a run: has that run ended meanwhile (an operator terminated it)? */
    isRunOpen: workflows.isRunOpen,

    /**
     * Validates (throwing at once on invalid input), records (unless the workflow does) and starts
     * the lesson's workflow.
     */
    /** The service's answer carries the lesson's signed join links too (the typed client has no key). */
    book(
      input: unknown,
    ): Promise<{ lessonId: string; workflowId: string; joinUrl?: string; participantJoinUrl?: string }> {
      const { booking, hash } = admitBooking(input, bookingWindow());
      const workflowId = lessonWorkflowId(booking.id);
      addLogContext({ lessonId: booking.id, tutorId: booking.tutor.id, workflowId });
      if (!records) return workflows.book(booking, hash);
      return (async () => {
        // Insert first, then compare: two bookings racing for one id can't both pass a check.
        const known = await records.meetings.recordBooking(booking, hash, workflowId);
        if (known) checkRepeatedBooking(booking.id, known, hash);
        const started = await workflows.book(booking, hash);
        return {
          ...started,
          ...records.meetings.links({ id: booking.id, endsAt: new Date(booking.endsAt) }),
        };
      })();
    },

    /**
     * Validates the times (throwing at once), then sends the reschedule to the lesson's workflow:
     * as the Update, or as the signal when no worker accepts it in time (lesson-command-delivery.ts).
     */
    reschedule(lessonId: string, input: unknown): Promise<CommandOutcome<RescheduleResult>> {
      const request = admitReschedule(input, bookingWindow());
      return records
        ? rescheduleRecorded(lessonId, request)
        : workflows.reschedule(lessonId, withRequestId(request));
    },

    /** `input`: nothing, or `{ requestId }`. Sent as the reschedule is. */
    async cancel(lessonId: string, input?: unknown): Promise<CommandOutcome<CancelResult>> {
      const { requestId } = withRequestId(admitCancel(input));
      if (!records) return workflows.cancel(lessonId, requestId, async () => undefined);
      const lesson = await recordedLesson(lessonId);
      if (lesson.status !== 'cancelled' && isOver(lesson))
        throw new BookingRejectedError('lesson_ended', `Lesson ${lessonId} has ended`);
      // Signalled again on a repeated cancel, in case the first signal was lost. A workflow that
      // ended early (an operator stopped it) has a meeting nobody would clean up: a conflict that
      // changes nothing. A booking that never reached Temporal has no meeting and no email yet:
      // it is simply cancelled (a start still in flight finds the row cancelled and makes nothing).
      // Recorded at once as well (once the signal is in, before the answer), so that a step still
      // running makes no meeting or email.
      const markCancelled = async () => void (await records.lessons.setStatus(lessonId, 'cancelled'));
      const outcome = await workflows.cancel(lessonId, requestId, markCancelled);
      if (outcome.state !== 'not-running') return outcome;
      if (lesson.status === 'booked' && (await workflows.hasWorkflow(lessonId)))
        throw new BookingRejectedError('lesson_not_active', `Lesson ${lessonId} is no longer running`);
      await markCancelled();
      return outcome;
    },

    /** The tutor's Zoom can't host this lesson any more (a join link found it so). */
    moveLessonToDaily: (lessonId: string): Promise<SignalOutcome> => workflows.moveToDaily(lessonId),

    /** The tutor's Zoom is gone: every upcoming Zoom lesson moves to Daily. Returns how many were told. */
    async moveTutorLessonsToDaily(tutorId: string): Promise<number> {
      const lessons = await recorded().lessons.upcomingZoomLessonsOfTutor(tutorId, clock.now());
      let told = 0;
      for (const lesson of lessons) if ((await workflows.moveToDaily(lesson.id)) === 'signalled') told++;
      return told;
    },

    /**
     * Starts the deauthorization workflow, idempotently: a redelivered webhook finds the run under
     * way. Returns its run id.
     */
    async startDeauthorization(
      event: ZoomDeauthorizationInput & { deauthorizedAt: string },
    ): Promise<string> {
      const run = await withinDeadline(deps.client, deps.timing.callTimeoutMs, () =>
        deps.client.workflow.start(ZOOM_DEAUTHORIZATION_WORKFLOW_TYPE, {
          taskQueue: deps.taskQueue,
          workflowId: zoomDeauthorizationWorkflowId(event.zoomUserId, event.deauthorizedAt),
          args: [
            {
              zoomUserId: event.zoomUserId,
              deleteUserData: event.deleteUserData,
              deauthorizedAt: event.deauthorizedAt,
            },
          ],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
        }),
      );
      return run.firstExecutionRunId;
    },
  };
}
export type LessonCommands = ReturnType<typeof createLessonCommands>;
