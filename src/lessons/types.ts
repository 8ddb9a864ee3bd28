import type { z } from 'zod';
import type {
  cancelRequestSchema,
  LessonBooking,
  LessonTimes,
  Person,
  rescheduleRequestSchema,
} from './schemas';
import type { LessonSettings } from './settings';

/** A lesson as the meeting services and emails see it: times as Dates. */
export interface Lesson {
  id: string;
  title?: string;
  startsAt: Date;
  endsAt: Date;
  tutor: Person;
  student: Person;
}

/** Windows around a lesson: how early people may join and how long the room outlives the end. */
export interface LessonTiming {
  earlyJoinMinutes: number;
  graceMinutes: number;
}

/** The lesson workflow's input: the booking, its hash (which tells a repeat from a conflict), settings. */
export interface LessonMeetingInput {
  booking: LessonBooking;
  bookingHash: string;
  settings: LessonSettings;
}

/**
 * A reschedule, as a signal or an Update. `requestId` (optional) makes it idempotent: the same id with
 * the same times is applied once and answered the same; the same id with other times is refused.
 */
export type RescheduleRequest = z.infer<typeof rescheduleRequestSchema>;

/** A cancel, as a signal or an Update; `requestId` as for a reschedule. */
export type CancelRequest = z.infer<typeof cancelRequestSchema>;

/**
 * What the `reschedule` Update answers once the change is applied, or once a newer command
 * superseded it (`superseded: true`, with the lesson's state then). It stays in the history: no links.
 * `provider` and `meetingId` are absent only when it was superseded before any meeting was made.
 */
export interface RescheduleResult {
  provider?: 'zoom' | 'daily';
  meetingId?: string;
  startsAt: string;
  endsAt: string;
  version: number;
  superseded: boolean;
}

/** What the `cancel` Update answers once the lesson is cancelled: its version (the row's) then. */
export interface CancelResult {
  status: 'cancelled';
  version: number;
}

/** What the lesson workflow answers to its query, and returns when it ends. */
export interface LessonState {
  lessonId: string;
  status: 'booking' | 'booked' | 'cancelled' | 'finished';
  provider?: 'zoom' | 'daily';
  meetingId?: string;
  startsAt: string;
  endsAt: string;
  version: number;
  pendingReschedule?: LessonTimes;
  /** Signals dropped as invalid (each logged with the workflow id); they changed nothing. */
  droppedSignals?: number;
}
