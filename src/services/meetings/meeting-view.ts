import { z } from 'zod';
import type { LessonRow } from '../../db/stores/lessons-store';
import type { MeetingRow } from '../../db/stores/meetings-store';

/** The body of GET /lessons/:id/meeting, which the lesson events carry too. */
export const lessonMeetingSchema = z.object({
  lessonId: z.string(),
  status: z.string(),
  provider: z.enum(['zoom', 'daily']).nullable(),
  meetingId: z.string().nullable(),
  joinUrl: z.string().nullable(),
  participantJoinUrl: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  version: z.number(),
});
export type LessonMeetingView = z.infer<typeof lessonMeetingSchema>;

/**
 * What the platform sees of a lesson's meeting. Cancelled: its meeting is being deleted, and its
 * links lead to a page saying so. Finished: the meeting it had stays named, but its links expired
 * with it. `meeting` is ignored for a cancelled lesson.
 */
export function lessonMeetingView(lesson: LessonRow, meeting: MeetingRow | undefined): LessonMeetingView {
  const row = lesson.status === 'cancelled' ? undefined : meeting;
  const links = lesson.status === 'booked' ? row : undefined;
  return {
    lessonId: lesson.id,
    status: lesson.status,
    provider: row?.provider ?? null,
    meetingId: row?.meetingId ?? null,
    joinUrl: links?.joinUrl ?? null,
    participantJoinUrl: links?.participantJoinUrl ?? null,
    startsAt: lesson.startsAt.toISOString(),
    endsAt: lesson.endsAt.toISOString(),
    version: lesson.version,
  };
}
