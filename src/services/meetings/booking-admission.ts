import { bookingHash, normaliseBooking } from './booking';
import {
  bookingSchema,
  cancelRequestSchema,
  rescheduleRequestSchema,
  type LessonBooking,
} from '../../lessons/schemas';
import type { CancelRequest, RescheduleRequest } from '../../lessons/types';

/**
 * The rules a booking or a reschedule must pass, whichever way it comes in (HTTP API or typed
 * client): one code path, so both ways answer alike.
 */
export type BookingRejection =
  | 'lesson_in_past'
  | 'lesson_too_far'
  | 'lesson_ended'
  | 'booking_conflict'
  /** A reschedule or cancel of a lesson not recorded (HTTP 404). */
  | 'unknown_lesson'
  /** A reschedule of a lesson cancelled or finished, or one whose workflow is not running. */
  | 'lesson_not_active'
  /** A requestId already used for a command with another body (HTTP 409). */
  | 'request_id_conflict';

/** Rejections of the input itself (HTTP 400); the others conflict with what is recorded (409, or 404). */
export const INVALID_TIMES: ReadonlySet<BookingRejection> = new Set(['lesson_in_past', 'lesson_too_far']);

/**
 * When a lesson may be: ending after `now`, starting at most `horizonDays` ahead (a lesson in the
 * year 9999 would be a timer of millennia and join links that never expire).
 */
export interface BookingWindow {
  now: Date;
  horizonDays: number;
}

export class BookingRejectedError extends Error {
  constructor(
    readonly reason: BookingRejection,
    message: string,
  ) {
    super(message);
    this.name = 'BookingRejectedError';
  }
}

const DAY_MS = 24 * 3600_000;

/** The same for a booking and a reschedule: the times are already valid (lessonTimesSchema). */
export function assertWithinWindow(times: { startsAt: string; endsAt: string }, window: BookingWindow): void {
  if (Date.parse(times.endsAt) <= window.now.getTime())
    throw new BookingRejectedError('lesson_in_past', 'The lesson ends in the past');
  if (Date.parse(times.startsAt) - window.now.getTime() > window.horizonDays * DAY_MS)
    throw new BookingRejectedError(
      'lesson_too_far',
      `A lesson must start within ${window.horizonDays} days from now`,
    );
}

/** A valid booking, normalised, with the hash that tells a repeat from a conflicting one. */
export function admitBooking(
  input: unknown,
  window: BookingWindow,
): { booking: LessonBooking; hash: string } {
  const booking = normaliseBooking(bookingSchema.parse(input));
  assertWithinWindow(booking, window);
  return { booking, hash: bookingHash(booking) };
}

/** A valid reschedule (new times, optional requestId) whose times are within the window. */
export function admitReschedule(input: unknown, window: BookingWindow): RescheduleRequest {
  const request = rescheduleRequestSchema.parse(input);
  assertWithinWindow(request, window);
  return request;
}

/** A valid cancel: nothing, or an optional requestId. */
export const admitCancel = (input: unknown): CancelRequest =>
  cancelRequestSchema.optional().parse(input) ?? {};

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
