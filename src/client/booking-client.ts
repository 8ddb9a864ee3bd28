import type { Client } from '@temporalio/client';
import { bookingSchema, lessonTimesSchema, type Booking } from '../services/meetings/booking';
import { createLessonStarter, type SignalOutcome } from '../services/meetings/lesson-starter';
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
export { bookingSchema, lessonTimesSchema };

/**
 * For booking systems that talk to Temporal directly: the same operations as the HTTP API,
 * validated with the same zod schemas, starting and signalling the same workflows. The
 * workflow's first activity records users and lessons, so both ways in behave alike.
 */
export interface BookingClientOptions {
  client: Client;
  taskQueue?: string;
  settings?: Partial<LessonSettings>;
}

export function createBookingClient(options: BookingClientOptions) {
  const starter = createLessonStarter({
    client: options.client,
    taskQueue: options.taskQueue ?? 'meetings',
    settings: { earlyJoinMinutes: 10, graceMinutes: 15, zoomFallbackMarginMinutes: 15, ...options.settings },
  });
  return {
    book: (booking: Booking) => starter.book(bookingSchema.parse(booking)),
    reschedule: (lessonId: string, times: { startsAt: string; endsAt: string }): Promise<SignalOutcome> =>
      starter.reschedule(lessonId, lessonTimesSchema.parse(times)),
    cancel: (lessonId: string): Promise<SignalOutcome> => starter.cancel(lessonId),
    meeting: (lessonId: string): Promise<LessonState> =>
      options.client.workflow.getHandle(lessonWorkflowId(lessonId)).query(lessonStateQuery),
  };
}
export type BookingClient = ReturnType<typeof createBookingClient>;
