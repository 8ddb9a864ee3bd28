import { createHash } from 'node:crypto';
import { z } from 'zod';
import { textField } from '../../schemas/text';
import { isValidTimeZone } from '../email/format-time';

/** The booking system's view of an online lesson: one schema for the HTTP API and the typed client. */
export const personSchema = z.object({
  id: textField.id(),
  email: textField.email(),
  name: textField.name(),
  timeZone: textField
    .id()
    .refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' })
    .optional(),
});

const isoInstant = z.iso.datetime({
  offset: true,
  message: 'must be an ISO 8601 date-time with a time zone',
});

const MAX_LESSON_MS = 24 * 3600_000;

/** The rules on a lesson's times, the same for a booking and a reschedule. */
function withLessonTimeRules<T extends z.ZodType<{ startsAt: string; endsAt: string }>>(schema: T): T {
  return schema
    .refine((t) => Date.parse(t.endsAt) > Date.parse(t.startsAt), {
      message: 'endsAt must be after startsAt',
      path: ['endsAt'],
    })
    .refine((t) => Date.parse(t.endsAt) - Date.parse(t.startsAt) <= MAX_LESSON_MS, {
      message: 'a lesson lasts at most 24 hours',
      path: ['endsAt'],
    });
}

/** A lesson's id: it becomes part of its workflow id and of its join links. */
export const lessonIdSchema = textField.slug();

export const lessonTimesSchema = withLessonTimeRules(z.object({ startsAt: isoInstant, endsAt: isoInstant }));

export const bookingSchema = withLessonTimeRules(
  z.object({
    id: lessonIdSchema,
    title: textField.name().optional(),
    startsAt: isoInstant,
    endsAt: isoInstant,
    tutor: personSchema,
    student: personSchema,
  }),
).refine((b) => b.tutor.id !== b.student.id, {
  message: 'the tutor and the student must be different users',
  path: ['student', 'id'],
});
export type Booking = z.infer<typeof bookingSchema>;

/** Times are normalised to UTC so the same instant written two ways is the same booking. */
export function normaliseBooking(booking: Booking): Booking {
  return {
    ...booking,
    startsAt: new Date(booking.startsAt).toISOString(),
    endsAt: new Date(booking.endsAt).toISOString(),
  };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** Tells a repeated booking (same body: same hash) from a conflicting one. */
export function bookingHash(booking: Booking): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(normaliseBooking(booking))))
    .digest('hex');
}
