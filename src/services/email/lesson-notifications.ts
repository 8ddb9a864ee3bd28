import type { Clock } from '../../clock';
import type { MeetingsStore } from '../../db/stores/meetings-store';
import { lessonEmail, type LessonEvent } from './lesson-emails';
import type { EmailSender } from './send-once';
import type { LessonMeetings } from '../meetings/lesson-meetings';

const RECIPIENTS = ['tutor', 'student'] as const;
type Recipient = (typeof RECIPIENTS)[number];

export interface NotificationDeps {
  meetings: LessonMeetings;
  meetingsStore: MeetingsStore;
  emailSender: EmailSender;
  clock: Clock;
  from: { email: string; name?: string };
  /** A fresh reconnect link for the tutor (signed, 7 days, works once). */
  reconnectUrlFor(tutorId: string): Promise<string>;
}

/**
 * The LessonBooked emails and their follow-ups, to tutor and student. Each is sent once per
 * (lesson, event, version, recipient), however often the activity runs.
 */
export function createLessonNotifications(deps: NotificationDeps) {
  /**
   * Who gets this event's email: both, but a cancel only goes to those who were (or may have been)
   * sent the LessonBooked email, so nobody hears of a cancel for a lesson they never heard of.
   * At any version: a lesson booked again after its workflow failed is announced at a later one,
   * and those told by the first workflow only still hold its invite.
   */
  const told = async (lessonId: string, event: LessonEvent): Promise<Recipient[]> => {
    if (event !== 'cancelled') return [...RECIPIENTS];
    const sent = await Promise.all(
      RECIPIENTS.map((recipient) => deps.emailSender.countSent(`${lessonId}:booked:`, `:${recipient}`)),
    );
    return RECIPIENTS.filter((_, i) => (sent[i] ?? 0) > 0);
  };

  return {
    async sendLessonEmails(
      lessonId: string,
      event: LessonEvent,
      version: number,
      zoomFallbackReason?: string,
      /**
       * Asked last, just before sending: false when the step's workflow run has ended (an operator
       * terminated it), whose emails must not go out. Asked after the reads, to keep the window
       * between the answer and the sends as short as it can be.
       */
      stillCurrent: () => Promise<boolean> = async () => true,
    ): Promise<number> {
      const lesson = await deps.meetings.loadLesson(lessonId);
      // A cancel can overtake any step (the API records it at once): never announce a booking, a
      // move or a reschedule of a lesson that is no longer booked, and never cancel one that nobody
      // was told about.
      if (event !== 'cancelled' && lesson.status !== 'booked') return 0;
      // Nor an older version than the row's: a late attempt (of a run since terminated, say) is stale.
      if (event !== 'cancelled' && version < lesson.version) return 0;
      const recipients = await told(lessonId, event);
      if (recipients.length === 0) return 0;
      const meeting = await deps.meetingsStore.findByLesson(lessonId);
      const providerLabel = meeting?.provider === 'zoom' ? 'Zoom' : 'Daily.co';
      // Only for a lesson that really is on Daily: a late Zoom answer may have kept Zoom.
      const zoomFallbackNote =
        zoomFallbackReason && meeting?.provider === 'daily'
          ? `We could not create this lesson on your Zoom account, so it uses Daily.co. Reconnect Zoom here: ${await deps.reconnectUrlFor(lesson.tutor.id)}`
          : undefined;
      if (!(await stillCurrent())) return 0;
      // Tutor and student at once: each has its own ledger key, so they never wait for each other.
      const outcomes = await Promise.all(
        recipients.map((recipient) => {
          const message = lessonEmail({
            lesson,
            event,
            version,
            recipient,
            joinUrl: recipient === 'tutor' ? meeting?.joinUrl : meeting?.participantJoinUrl,
            providerLabel,
            zoomFallbackNote,
            from: deps.from,
            now: deps.clock.now(),
          });
          return deps.emailSender.sendOnce(
            `${lessonId}:${event}:${version}:${recipient}`,
            `Lesson-${event}`,
            message,
          );
        }),
      );
      return outcomes.filter((outcome) => outcome === 'sent').length;
    },
  };
}
export type LessonNotifications = ReturnType<typeof createLessonNotifications>;
