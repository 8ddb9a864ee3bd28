import { bookingHash, normaliseBooking } from './booking';
import { bookingSchema, lessonTimesSchema, type LessonBooking } from '../../lessons/schemas';

/**
 * The rules a booking or a reschedule must pass, whichever way it comes in (HTTP API or typed
 * client): one code path, so both ways answer alike.
 */
export type BookingRejection = 'lesson_in_past' | 'lesson_ended' | 'booking_conflict';

export class BookingRejectedError extends Error {
  constructor(
    readonly reason: BookingRejection,
    message: string,
  ) {
    super(message);
    this.name = 'BookingRejectedError';
  }
}

export function assertNotInPast(endsAt: string, now: Date): void {
  if (Date.parse(endsAt) <= now.getTime())
    throw new BookingRejectedError('lesson_in_past', 'The lesson ends in the past');
}

/** A valid booking, normalised, with the hash that tells a repeat from a conflicting one. */
export function admitBooking(input: unknown, now: Date): { booking: LessonBooking; hash: string } {
  const booking = normaliseBooking(bookingSchema.parse(input));
  assertNotInPast(booking.endsAt, now);
  return { booking, hash: bookingHash(booking) };
}

export function admitTimes(input: unknown, now: Date): { startsAt: string; endsAt: string } {
  const times = lessonTimesSchema.parse(input);
  assertNotInPast(times.endsAt, now);
  return times;
}

/** What is already known under a booking's id: a lesson row, or a lesson workflow. */
export interface KnownBooking {
  status: string;
  bookingHash: string | undefined;
}

/**
 * A lesson already booked under this id: the same body again is the same booking (no error);
 * another body is refused, since reschedule is the way to change times; an ended one is refused.
 */
export function checkRepeatedBooking(lessonId: string, known: KnownBooking, hash: string): void {
  if (known.status !== 'booked')
    throw new BookingRejectedError(
      'lesson_ended',
      `Lesson ${lessonId} is ${known.status}; book it under a new id`,
    );
  if (known.bookingHash !== hash)
    throw new BookingRejectedError(
      'booking_conflict',
      `Lesson ${lessonId} is booked with other details; use reschedule to change its times`,
    );
}
