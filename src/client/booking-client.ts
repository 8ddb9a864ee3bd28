import type { Client } from '@temporalio/client';
import { systemClock, type Clock } from '../clock';
import { bookingSchema, lessonIdSchema, lessonTimesSchema, type LessonBooking } from '../lessons/schemas';
import { admitBooking, admitTimes } from '../services/meetings/booking-admission';
import { createLessonStarter, type SignalOutcome } from '../services/meetings/lesson-starter';
import { bookingHorizonDaysFromEnv, lessonSettingsFromEnv, type LessonSettings } from '../lessons/settings';
import { lessonStateQuery } from '../lessons/definitions';
import { lessonWorkflowId } from '../lessons/ids';
import type { LessonState } from '../lessons/types';
import { DEFAULT_TASK_QUEUE } from '../temporal/env';

export {
  cancelSignal,
  lessonStateQuery,
  rescheduleSignal,
  zoomDisconnectedSignal,
} from '../lessons/definitions';
export { lessonWorkflowId } from '../lessons/ids';
export type { LessonBooking } from '../lessons/schemas';
export type { LessonState, RescheduleRequest } from '../lessons/types';
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
    book: (input: LessonBooking) => {
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
