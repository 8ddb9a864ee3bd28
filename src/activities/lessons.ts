import { Context } from '@temporalio/activity';
import type { Logger } from '../logger';
import type { LessonEvent } from '../services/email/lesson-emails';
import type { LessonCommands } from '../services/meetings/lesson-commands';
import type { LessonMeetings, MeetingOutcome } from '../services/meetings/lesson-meetings';
import type { LessonNotifications } from '../services/email/lesson-notifications';
import { lessonWorkflowId } from '../lessons/ids';
import type { LessonBooking, LessonTimes } from '../lessons/schemas';
import { classified } from './failures';

export interface LessonActivityDeps {
  meetings: LessonMeetings;
  notifications: LessonNotifications;
  commands: Pick<LessonCommands, 'moveTutorLessonsToDaily' | 'isRunOpen'>;
  logger: Logger;
}

/** Thin adapters from the lesson services to Temporal; each is idempotent. */
export function createLessonActivities(deps: LessonActivityDeps) {
  const { meetings, notifications } = deps;

  const withBookingRecorded = <T>(
    input: { booking: LessonBooking; bookingHash: string },
    step: () => Promise<T>,
  ) =>
    meetings.withBookingRecorded(input.booking, input.bookingHash, lessonWorkflowId(input.booking.id), step);

  /**
   * Whether the step's run is still open. One that has ended (an operator terminated it, say)
   * announces nothing: its lesson may be booked again by a newer run, which announces it at a newer
   * version. A local activity is not told of the termination, so every attempt asks, the first too
   * (the step may have begun before the termination), just before it sends.
   */
  const runIsOpen = (): (() => Promise<boolean>) => {
    const { workflowExecution } = Context.current().info;
    return async () =>
      !workflowExecution || deps.commands.isRunOpen(workflowExecution.workflowId, workflowExecution.runId);
  };

  /** Steps 1–3 in one activity: choose the provider, create the meeting, upsert the row. */
  const createLessonMeeting = async (input: {
    booking: LessonBooking;
    bookingHash: string;
    forceDaily?: boolean;
    /** Rescheduled before its meeting was made: the times (and version) it is made at. */
    times?: LessonTimes & { version: number };
  }): Promise<MeetingOutcome | { cancelled: true }> =>
    classified(() =>
      withBookingRecorded(input, () =>
        meetings.createMeeting(input.booking.id, {
          forceDaily: input.forceDaily,
          bookingHash: input.bookingHash,
          times: input.times,
          runId: Context.current().info.workflowExecution?.runId,
        }),
      ),
    );

  return {
    createLessonMeeting,

    /**
     * Steps 1–5 in one activity, the path of nearly every booking: the meeting as above, then the
     * LessonBooked emails. An email failure does not fail the meeting: `announced` is false and
     * the workflow sends them in a step of its own, with its own retries.
     */
    async bookLessonMeeting(input: {
      booking: LessonBooking;
      bookingHash: string;
      version: number;
    }): Promise<(MeetingOutcome & { announced: boolean }) | { cancelled: true }> {
      const outcome = await createLessonMeeting(input);
      if ('cancelled' in outcome) return outcome;
      // Timed out meanwhile: the workflow has moved on, and sends the emails in a step of its own.
      if (Context.current().cancellationSignal.aborted) return { ...outcome, announced: false };
      try {
        // The lesson's version, which a booking after a failed workflow moves on (see MeetingOutcome).
        await notifications.sendLessonEmails(
          input.booking.id,
          'booked',
          Math.max(input.version, outcome.version ?? 1),
          outcome.zoomFallbackReason,
          runIsOpen(),
        );
        return { ...outcome, announced: true };
      } catch (error) {
        deps.logger.warn({ err: error }, 'LessonBooked emails not sent yet; the workflow sends them next');
        return { ...outcome, announced: false };
      }
    },

    /** `forceDaily`: Zoom had until the new start minus the margin; the lesson moves to Daily. */
    async rescheduleLessonMeeting(input: {
      lessonId: string;
      startsAt: string;
      endsAt: string;
      version: number;
      forceDaily?: boolean;
    }): Promise<MeetingOutcome> {
      return classified(() =>
        meetings.rescheduleMeeting(
          input.lessonId,
          new Date(input.startsAt),
          new Date(input.endsAt),
          input.version,
          { forceDaily: input.forceDaily },
        ),
      );
    },

    async cancelLessonMeeting(input: { booking: LessonBooking; bookingHash: string }): Promise<void> {
      return classified(() => withBookingRecorded(input, () => meetings.cancelMeeting(input.booking.id)));
    },

    async moveLessonToDaily(input: {
      lessonId: string;
      version: number;
    }): Promise<MeetingOutcome | undefined> {
      return classified(() => meetings.moveToDaily(input.lessonId, input.version));
    },

    async finishLesson(input: { lessonId: string }): Promise<void> {
      return classified(() => meetings.finishLesson(input.lessonId));
    },

    /** Step 5: both emails of one event in one activity, each sent once. */
    async sendLessonEmails(input: {
      lessonId: string;
      event: LessonEvent;
      version: number;
      zoomFallbackReason?: string;
    }): Promise<number> {
      const stillCurrent = runIsOpen();
      return classified(() =>
        notifications.sendLessonEmails(
          input.lessonId,
          input.event,
          input.version,
          input.zoomFallbackReason,
          stillCurrent,
        ),
      );
    },

    /** Signals every upcoming Zoom lesson of a tutor to move to Daily; returns how many were told. */
    async moveUpcomingZoomLessonsToDaily(input: { tutorId: string }): Promise<number> {
      return deps.commands.moveTutorLessonsToDaily(input.tutorId);
    },
  };
}
export type LessonActivities = ReturnType<typeof createLessonActivities>;
