import type { LessonBooking, LessonTimes, Person } from './schemas';
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

export type RescheduleRequest = LessonTimes;

/** What the lesson workflow answers to its query, and returns when it ends. */
export interface LessonState {
  lessonId: string;
  status: 'booking' | 'booked' | 'cancelled' | 'finished';
  provider?: 'zoom' | 'daily';
  meetingId?: string;
  startsAt: string;
  endsAt: string;
  version: number;
  pendingReschedule?: RescheduleRequest;
}
