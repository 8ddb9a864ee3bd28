import { z } from 'zod';
import { lessonMeetingSchema } from '../meetings/meeting-view';

/** Why a lesson moved to Daily (or got a Daily room although its tutor had connected Zoom). */
export const DAILY_REASONS = [
  'zoom_disconnected',
  'zoom_meeting_gone',
  'zoom_refused',
  'zoom_deadline',
  'zoom_connection_invalid',
] as const;
export type DailyReason = (typeof DAILY_REASONS)[number];

export const FAILED_REASONS = ['workflow_failed', 'workflow_terminated', 'workflow_timed_out'] as const;
export type FailedReason = (typeof FAILED_REASONS)[number];

export const DISCONNECT_REASONS = ['by_tutor', 'deauthorized', 'max_reconnection_attempts'] as const;
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number];

const zoomConnectionSchema = z.object({
  tutorId: z.string(),
  state: z.enum(['connected', 'disconnected', 'reconnection_needed']),
});

/**
 * Every event the platform receives, with the schema of its `data` (the OpenAPI document's
 * `webhooks` are written from this list).
 */
export const platformEventCatalog = {
  'lesson.meeting_ready': {
    summary: "The lesson's meeting exists: its join links work (reason: why Daily, when Zoom was connected)",
    data: lessonMeetingSchema.extend({ reason: z.enum(DAILY_REASONS).optional() }),
  },
  'lesson.rescheduled': {
    summary: 'The lesson moved to new times, at its provider too',
    data: lessonMeetingSchema,
  },
  'lesson.moved_to_daily': {
    summary: 'The lesson left Zoom for a Daily room, for the reason given',
    data: lessonMeetingSchema.extend({ reason: z.enum(DAILY_REASONS) }),
  },
  'lesson.cancelled': {
    summary: 'The lesson was cancelled: its meeting is being deleted',
    data: lessonMeetingSchema,
  },
  'lesson.finished': { summary: 'The lesson is over (its end plus grace)', data: lessonMeetingSchema },
  'lesson.failed': {
    summary: "The lesson's workflow failed or was terminated: the platform must act (rebook it, say)",
    data: lessonMeetingSchema.extend({ reason: z.enum(FAILED_REASONS), workflowId: z.string() }),
  },
  'zoom.connected': {
    summary: 'The tutor connected Zoom (reconnected: it replaced an earlier connection)',
    data: zoomConnectionSchema.extend({ state: z.literal('connected'), reconnected: z.boolean() }),
  },
  'zoom.disconnected': {
    summary:
      "The tutor's Zoom connection is gone: by the tutor, by Zoom's deauthorization, or by the daily check",
    data: zoomConnectionSchema.extend({
      state: z.literal('disconnected'),
      reason: z.enum(DISCONNECT_REASONS),
    }),
  },
  'zoom.reconnection_needed': {
    summary:
      "The daily check found the tutor's Zoom connection failing: attempt of maxAttempts, then it is deleted",
    data: zoomConnectionSchema.extend({
      state: z.literal('reconnection_needed'),
      attempt: z.number().int(),
      maxAttempts: z.number().int(),
    }),
  },
} as const;

export type PlatformEventType = keyof typeof platformEventCatalog;
export type PlatformEventData<T extends PlatformEventType> = z.infer<
  (typeof platformEventCatalog)[T]['data']
>;
export type LessonEventType = Extract<PlatformEventType, `lesson.${string}`>;
