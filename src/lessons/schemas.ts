import { z } from 'zod';
import { integerOrText, nullishOptional, textField } from '../schemas/text';
import { isValidTimeZone } from '../util/time-zones';

/**
 * The booking system's view of an online lesson: one set of schemas for the HTTP API, the typed
 * client and the services, and the types they infer (one Person, one LessonBooking).
 */

export const personSchema = z.object({
  id: integerOrText(textField.id()),
  email: textField.email(),
  name: textField.name(),
  timeZone: nullishOptional(
    textField.id().refine(isValidTimeZone, { message: 'must be an IANA time zone such as Europe/Paris' }),
  ),
});
/** A tutor or a student, as the booking names them. */
export type Person = z.infer<typeof personSchema>;

/** PHP's DATE_ISO8601 writes the offset without its colon (`+0000`): read as `+00:00`. */
const COLONLESS_OFFSET = /([+-]\d{2})(\d{2})$/;

const isoInstant = z
  .string()
  .describe('an ISO 8601 date-time with its offset: Z, +00:00 or +0000')
  .transform((value) => value.replace(COLONLESS_OFFSET, '$1:$2'))
  .pipe(z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone' }));

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

/** A lesson's id: it becomes part of its workflow id and of its join links. An integer is read as text. */
export const lessonIdSchema = integerOrText(textField.slug());

export const lessonTimesSchema = withLessonTimeRules(z.object({ startsAt: isoInstant, endsAt: isoInstant }));
/** A lesson's times (ISO 8601): a booking's, or a reschedule's. */
export type LessonTimes = z.infer<typeof lessonTimesSchema>;

export const bookingSchema = withLessonTimeRules(
  z.object({
    id: lessonIdSchema,
    title: nullishOptional(textField.name()),
    startsAt: isoInstant,
    endsAt: isoInstant,
    tutor: personSchema,
    student: personSchema,
  }),
).refine((b) => b.tutor.id !== b.student.id, {
  message: 'the tutor and the student must be different users',
  path: ['student', 'id'],
});
export type LessonBooking = z.infer<typeof bookingSchema>;

/**
 * Makes a reschedule or a cancel idempotent (a retried queue job): the same id with the same body is
 * applied once and answered the same; the same id with another body is refused.
 */
export const requestIdSchema = textField.id();

/** A reschedule's body: the new times, and an optional requestId. */
export const rescheduleRequestSchema = withLessonTimeRules(
  z.object({ startsAt: isoInstant, endsAt: isoInstant, requestId: nullishOptional(requestIdSchema) }),
);

/** A cancel's body: an optional requestId. */
export const cancelRequestSchema = z.object({ requestId: nullishOptional(requestIdSchema) });
