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

/**
 * A caller's id for one command (an idempotency key, a retried queue job's): the same id with the
 * same body is applied once and answered the same; the same id with another body is refused.
 */
export const requestIdSchema = textField.id();

/** A reschedule, as the API, the typed client and the workflow's signal and Update take it. */
export const rescheduleRequestSchema = withLessonTimeRules(
  z.object({ startsAt: isoInstant, endsAt: isoInstant, requestId: nullishOptional(requestIdSchema) }),
);

/** A cancel: nothing but its optional request id (`null` is as absent). */
export const cancelRequestSchema = z.object({ requestId: nullishOptional(requestIdSchema) });

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

const wholeMinutes = z
  .number()
  .int()
  .min(0)
  .max(24 * 60);

/** The configuration a lesson workflow carries in its input (see settings.ts). */
export const lessonSettingsSchema = z.object({
  earlyJoinMinutes: wholeMinutes,
  graceMinutes: wholeMinutes,
  zoomFallbackMarginMinutes: wholeMinutes,
  zoomRetryFloorSeconds: z.number().int().min(1).max(3600),
});

/** The lesson workflow's input, which the workflow checks again: anyone may start one by hand. */
export const lessonMeetingInputSchema = z.object({
  booking: bookingSchema,
  bookingHash: textField.id(),
  settings: lessonSettingsSchema,
});
