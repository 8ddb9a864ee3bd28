import type { Client } from '@temporalio/client';
import { systemClock, type Clock } from '../clock';
import { bookingSchema, lessonIdSchema, lessonTimesSchema, type Booking } from '../services/meetings/booking';
import { admitBooking, admitTimes } from '../services/meetings/booking-admission';
import { createLessonStarter, type SignalOutcome } from '../services/meetings/lesson-starter';
import { bookingHorizonDaysFromEnv, lessonSettingsFromEnv } from '../services/meetings/lesson-settings';
import { DEFAULT_TASK_QUEUE } from '../temporal/env';
import {
  lessonStateQuery,
  lessonWorkflowId,
  type LessonSettings,
  type LessonState,
} from '../workflows/definitions/lesson';

export {
  cancelSignal,
  lessonStateQuery,
  lessonWorkflowId,
  rescheduleSignal,
  zoomDisconnectedSignal,
} from '../workflows/definitions/lesson';
export type { LessonBooking, LessonState, RescheduleRequest } from '../workflows/definitions/lesson';
export { BookingRejectedError, type BookingRejection } from '../services/meetings/booking-admission';
export { bookingSchema, lessonIdSchema, lessonTimesSchema };

/**
 * For booking systems that talk to Temporal directly: the same operations as the HTTP API,
 * passing the same rules (admitBooking, and the starter's repeat check: a different body for an
 * active lesson throws BookingRejectedError, as HTTP answers 409), starting and signalling the
 * same workflows. The workflow's first activity records users and lessons.
 */
export interface BookingClientOptions {
  client: Client;
  taskQueue?: string;
  /** Overrides of the service's settings, which are read from the environment as the service reads them. */
  settings?: Partial<LessonSettings>;
  /** How far ahead a lesson may start; MAX_BOOKING_HORIZON_DAYS (400) unless given. */
  maxBookingHorizonDays?: number;
  clock?: Clock;
}

export function createBookingClient(options: BookingClientOptions) {
  const clock = options.clock ?? systemClock;
  const horizonDays = options.maxBookingHorizonDays ?? bookingHorizonDaysFromEnv();
  const bookingWindow = () => ({ now: clock.now(), horizonDays });
  // An id goes into a workflow id: checked as the HTTP API checks its path.
  const lessonIdOf = (lessonId: string): string => lessonIdSchema.parse(lessonId);
  const starter = createLessonStarter({
    client: options.client,
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    settings: { ...lessonSettingsFromEnv(), ...options.settings },
  });
  return {
    /** Throws at once on invalid input; rejects with BookingRejectedError on a conflict. */
    book: (input: Booking) => {
      const { booking, hash } = admitBooking(input, bookingWindow());
      return starter.book(booking, hash);
    },
    reschedule: (lessonId: string, times: { startsAt: string; endsAt: string }): Promise<SignalOutcome> =>
      starter.reschedule(lessonIdOf(lessonId), admitTimes(times, bookingWindow())),
    cancel: (lessonId: string): Promise<SignalOutcome> => starter.cancel(lessonIdOf(lessonId)),
    meeting: (lessonId: string): Promise<LessonState> =>
      options.client.workflow.getHandle(lessonWorkflowId(lessonIdOf(lessonId))).query(lessonStateQuery),
  };
}
export type BookingClient = ReturnType<typeof createBookingClient>;
