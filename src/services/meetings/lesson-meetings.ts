import type { Knex } from 'knex';
import type { Logger } from '../../logger';
import type { Clock } from '../../clock';
import type { AdvisoryLocks } from '../../db/advisory-locks';
import type { LessonsStore } from '../../db/stores/lessons-store';
import type { MeetingRow, MeetingsStore } from '../../db/stores/meetings-store';
import type { LessonBooking, LessonTimes } from '../../lessons/schemas';
import { isProviderError } from '../../providers/provider-error';
import type { DailyMeetingService } from './daily-meeting-service';
import { lessonJoinLinks } from './join-links';
import { lessonLoader } from './lesson-loader';
import type { MeetingOutcome } from './meeting-outcome';
import { movesToDailyOnReschedule } from './reschedule-fallback';
import type { Lesson } from '../../lessons/types';
import type { ZoomMeetingService } from './zoom-meeting-service';
import type { ZoomTokenService } from '../zoom-connection/token-service';
import { LessonBookedOtherwiseError, LessonNotRecordedError } from './lesson-errors';
import { bookingRecorder } from './booking-record';
import type { DailyReason } from '../platform-events/event-types';
import { announcedWrites, type Announcement } from './announced-writes';
import type { LessonEvents } from '../platform-events/lesson-events';

export interface LessonMeetingsDeps {
  logger: Logger;
  locks: AdvisoryLocks;
  /** For the transactions that write a change and its platform event together. */
  db: Knex;
  lessons: LessonsStore;
  meetingsStore: MeetingsStore;
  lessonEvents: LessonEvents;
  clock: Clock;
  tokens: ZoomTokenService;
  zoom: ZoomMeetingService;
  daily: DailyMeetingService;
  publicBaseUrl: string;
  linkSecret: string;
}

export type { MeetingOutcome } from './meeting-outcome';

/**
 * The seed's "Meeting creation" and Meeting::createOrUpdateMeeting(), for both providers: one
 * meeting per lesson, its row in `meetings` holding our stable signed links. Every operation is
 * idempotent, since activities run at least once.
 */
export function createLessonMeetings(deps: LessonMeetingsDeps) {
  const { lessons, meetingsStore } = deps;

  const loadLesson = lessonLoader(lessons);

  /** When a lesson is over: its end plus grace. Its links, its Daily room and its workflow end then. */
  const overAt = (lesson: Pick<Lesson, 'endsAt'>): Date => deps.daily.roomExpiry(lesson.endsAt);

  /** A lesson's signed join links, known as soon as it is booked. */
  const links = (lesson: Pick<Lesson, 'id' | 'endsAt'>) =>
    lessonJoinLinks(deps.publicBaseUrl, deps.linkSecret, lesson.id, overAt(lesson));

  const { saveMeeting, saveStatus } = announcedWrites(deps);

  async function saveDaily(lesson: Lesson, ...announced: Announcement[]): Promise<MeetingOutcome> {
    const room = await deps.daily.createMeeting(lesson);
    await saveMeeting(
      {
        lessonId: lesson.id,
        provider: 'daily',
        meetingId: room.name,
        password: null,
        roomUrl: room.url,
        ...links(lesson),
      },
      ...announced,
    );
    return { provider: 'daily', meetingId: room.name };
  }

  const recordBooking = bookingRecorder(lessons);

  return {
    recordBooking,

    /**
     * Runs a step of the workflow. The API has recorded the booking unless it came through the
     * typed client: only then is it recorded here, and the step run again. Recording it every time
     * would cost a write, and could put back a name that a later booking of the same person changed.
     */
    async withBookingRecorded<T>(
      booking: LessonBooking,
      bookingHash: string,
      workflowId: string,
      step: () => Promise<T>,
    ): Promise<T> {
      let replaceOtherBooking = false;
      try {
        return await step();
      } catch (error) {
        replaceOtherBooking = error instanceof LessonBookedOtherwiseError;
        const unrecorded = replaceOtherBooking || error instanceof LessonNotRecordedError;
        if (!unrecorded || (error as LessonNotRecordedError).lessonId !== booking.id) throw error;
      }
      await recordBooking(booking, bookingHash, workflowId, { replaceOtherBooking });
      return step();
    },

    loadLesson,
    links,
    overAt,

    /**
     * Steps 1–3: choose the provider, create the meeting, upsert the row. `runId`: the booking's
     * workflow run, which claims the lesson's version (see claimForRun) before anything is made.
     */
    async createMeeting(
      lessonId: string,
      options: {
        forceDaily?: boolean;
        bookingHash?: string;
        runId?: string;
        times?: LessonTimes & { version: number };
      } = {},
    ): Promise<MeetingOutcome | { cancelled: true }> {
      // A timed-out attempt that is still running and its retry must not both create.
      return deps.locks.withLock(`lesson-meeting:${lessonId}`, async () => {
        // A meeting already made stays, even for the Daily fallback: Zoom answered after all, and
        // replacing its meeting would leave it orphaned in the tutor's account.
        const existing = await meetingsStore.findByLesson(lessonId);
        let lesson = await loadLesson(lessonId);
        if (!existing && lesson.status !== 'booked') return { cancelled: true as const };
        // Another booking of this id wrote the row before it was refused: this workflow's booking,
        // the live one, replaces it before anything is made from it.
        const otherBooking = options.bookingHash !== undefined && lesson.bookingHash !== options.bookingHash;
        if (!existing && otherBooking && lesson.version === 1) throw new LessonBookedOtherwiseError(lessonId);
        // Rescheduled before anything was made: made at the new times (the workflow moves one made).
        const { times } = options;
        if (!existing && times) {
          const [startsAt, endsAt] = [new Date(times.startsAt), new Date(times.endsAt)];
          await lessons.reschedule(lessonId, { startsAt, endsAt }, times.version);
          lesson = await loadLesson(lessonId);
        }
        const claimed = options.runId && (await lessons.claimForRun(lessonId, options.runId, !!existing));
        const { startsAt, endsAt } = lesson;
        const row = {
          version: claimed || lesson.version,
          startsAt: startsAt.toISOString(),
          endsAt: endsAt.toISOString(),
        };
        if (existing) {
          // A booking run that finds its meeting made (a retry, or a lesson booked again after its
          // workflow failed, at a new version) announces it: once per version, by its key.
          if (options.runId) await deps.lessonEvents.record('lesson.meeting_ready', lessonId, undefined);
          return { provider: existing.provider, meetingId: existing.meetingId, ...row };
        }
        const ready: Announcement = { type: 'lesson.meeting_ready' };
        if (options.forceDaily)
          return { ...(await saveDaily(lesson, { ...ready, reason: 'zoom_deadline' })), ...row };
        if (!(await deps.tokens.isZoomConnected(lesson.tutor.id)))
          return { ...(await saveDaily(lesson, ready)), ...row };
        try {
          const meeting = await deps.zoom.createMeeting(lesson);
          await saveMeeting(
            {
              lessonId,
              provider: 'zoom',
              meetingId: String(meeting.id),
              password: meeting.password ?? null,
              roomUrl: null,
              ...links(lesson),
            },
            ready,
          );
          return { provider: 'zoom', meetingId: String(meeting.id), ...row };
        } catch (error) {
          if (!isProviderError(error, 'invalid-connection')) throw error;
          const fallback = await saveDaily(lesson, { ...ready, reason: 'zoom_connection_invalid' });
          return { ...fallback, zoomFallbackReason: error.message, ...row };
        }
      });
    },

    /**
     * updateMeeting: the lesson row, the provider's times and the row's links, once per version.
     * `forceDaily`: Zoom did not answer before the lesson's deadline, so the lesson moves to Daily.
     */
    async rescheduleMeeting(
      lessonId: string,
      startsAt: Date,
      endsAt: Date,
      version: number,
      options: { forceDaily?: boolean } = {},
    ): Promise<MeetingOutcome> {
      // An attempt that timed out may still be running: it must not write its Zoom row over the move.
      return deps.locks.withLock(`lesson-meeting:${lessonId}`, async () => {
        const current = await lessons.reschedule(lessonId, { startsAt, endsAt }, version);
        const lesson = await loadLesson(lessonId);
        const meeting = await meetingsStore.findByLesson(lessonId);
        if (!meeting) throw new Error(`lesson ${lessonId} has no meeting to reschedule`);
        // A stale attempt (a newer version is recorded) must not put the provider back to its times.
        if (!current) return { provider: meeting.provider, meetingId: meeting.meetingId };
        // Zoom has had its time: the move must not wait for Zoom to delete either.
        if (options.forceDaily && meeting.provider === 'zoom')
          return rescheduleOnDaily(lesson, meeting, { retryDelete: false }, 'zoom_deadline', true);
        try {
          if (meeting.provider === 'zoom')
            await deps.zoom.updateMeeting(lesson.tutor.id, meeting.meetingId, startsAt, endsAt);
          else await deps.daily.updateMeeting(meeting.meetingId, startsAt, endsAt);
        } catch (error) {
          if (!movesToDailyOnReschedule(meeting, error)) throw error;
          // Gone at the provider (deleted by hand, or Zoom disconnected), or Zoom refusing the move.
          const gone = isProviderError(error, 'not-found');
          const reason = gone ? 'zoom_meeting_gone' : 'zoom_refused';
          return rescheduleOnDaily(lesson, gone ? undefined : meeting, { retryDelete: true }, reason, true);
        }
        await saveMeeting({ ...meeting, ...links(lesson) }, { type: 'lesson.rescheduled' });
        return { provider: meeting.provider, meetingId: meeting.meetingId };
      });
    },

    /** deleteMeeting on cancel: the provider's meeting (404 counts as gone), then the row. */
    async cancelMeeting(lessonId: string): Promise<void> {
      if (!(await saveStatus(lessonId, 'cancelled'))) throw new LessonNotRecordedError(lessonId);
      // After any create or reschedule attempt still running (one that timed out), so that the
      // meeting it makes is the one deleted here.
      await deps.locks.withLock(`lesson-meeting:${lessonId}`, async () => {
        const meeting = await meetingsStore.findByLesson(lessonId);
        if (meeting) await deleteAtProvider(meeting);
        await meetingsStore.deleteByLesson(lessonId);
      });
    },

    /**
     * The tutor's Zoom is gone: the lesson gets a Daily room, as `version`. A retry after an attempt
     * that did it all finds the row on Daily at that version, and returns the same outcome, so that
     * the workflow still records the move and sends its emails. Undefined: nothing to move (no
     * meeting, or the lesson was cancelled). Under the lesson's lock, as its other steps: an attempt
     * that outlived its timeout must not rebuild a room after a cancel deleted the meeting. The
     * Zoom meeting's delete is best effort, as on a reschedule's move: a Zoom outage must not hold
     * the lesson (and a cancel or reschedule behind it) on a host that can't serve it.
     */
    async moveToDaily(lessonId: string, version: number): Promise<MeetingOutcome | undefined> {
      return deps.locks.withLock(`lesson-meeting:${lessonId}`, async () => {
        const meeting = await meetingsStore.findByLesson(lessonId);
        if (!meeting) return undefined;
        const lesson = await loadLesson(lessonId);
        if (meeting.provider === 'daily') {
          const movedAlready = lesson.version >= version;
          return movedAlready ? { provider: 'daily', meetingId: meeting.meetingId } : undefined;
        }
        if (lesson.status !== 'booked') return undefined;
        await lessons.setVersion(lessonId, version);
        return rescheduleOnDaily(lesson, meeting, { retryDelete: false }, 'zoom_disconnected', false);
      });
    },

    /** After the end plus grace: the Daily room goes; the lesson is finished. */
    async finishLesson(lessonId: string): Promise<void> {
      const meeting = await meetingsStore.findByLesson(lessonId);
      if (meeting?.provider === 'daily') await deps.daily.deleteMeeting(meeting.meetingId);
      await saveStatus(lessonId, 'finished');
    },
  };

  /**
   * A reschedule's move to a fresh Daily room; a Zoom meeting still there (`left`) is taken away.
   * If Zoom refuses to delete it, or fails for the moment and `retryDelete` is off, the lesson
   * still moves and the meeting is left for a person. `reason` goes to the platform with
   * lesson.moved_to_daily, after lesson.rescheduled when the move came with new times.
   */
  async function rescheduleOnDaily(
    lesson: Lesson,
    left: MeetingRow | undefined,
    { retryDelete }: { retryDelete: boolean },
    reason: DailyReason,
    rescheduled: boolean,
  ): Promise<MeetingOutcome> {
    if (left?.provider === 'zoom')
      await deleteAtProvider(left).catch((deleteError: unknown) => {
        if (retryDelete && isProviderError(deleteError, 'transient')) throw deleteError; // retried with the step
        deps.logger.warn(
          { lessonId: lesson.id, meetingId: left.meetingId, err: deleteError },
          'the Zoom meeting left behind by a move to Daily could not be deleted; delete it in Zoom',
        );
      });
    const moved: Announcement = { type: 'lesson.moved_to_daily', reason };
    return rescheduled ? saveDaily(lesson, { type: 'lesson.rescheduled' }, moved) : saveDaily(lesson, moved);
  }

  async function deleteAtProvider(meeting: MeetingRow): Promise<void> {
    if (meeting.provider === 'daily') return deps.daily.deleteMeeting(meeting.meetingId);
    const lesson = await lessons.find(meeting.lessonId);
    if (lesson) await deps.zoom.deleteMeeting(lesson.tutorId, meeting.meetingId);
  }
}
export type LessonMeetings = ReturnType<typeof createLessonMeetings>;
