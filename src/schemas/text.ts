import { z } from 'zod';

/**
 * Characters no id, name or key from another party may carry: C0 controls (NUL among them: PostgreSQL
 * text can't hold it), DEL, C1 controls (U+0085, a line break to some readers), the bidi controls
 * that reorder what a reader sees (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C), and the
 * Unicode line and paragraph separators. Any of them in an email subject, a calendar summary, a log
 * line or a workflow id is an injection or a spoof, never a real name.
 */
const UNSAFE_CHARACTERS =
  '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2028\\u2029\\u2066-\\u2069';
const SAFE_TEXT = new RegExp(`^[^${UNSAFE_CHARACTERS}]*$`);
const UNSAFE_MESSAGE = 'must be one line without control, bidi or line-separator characters';

/** The caps, in one place: RFC 5321's longest address, and ids as long as any party's we know. */
export const TEXT_LIMITS = {
  email: 254,
  id: 64,
  zoomUserId: 64,
  name: 200,
} as const;

export const isSafeText = (value: string): boolean => SAFE_TEXT.test(value);

/** One line of 1 to `max` characters, none of them unsafe. The pattern shows in the OpenAPI document. */
export const safeText = (max: number) =>
  z
    .string()
    .min(1, { message: 'must not be empty' })
    .max(max, { message: `must be at most ${max} characters` })
    .regex(SAFE_TEXT, { message: UNSAFE_MESSAGE })
    .describe(`at most ${max} characters; no control (C0, DEL, C1), bidi or line-separator characters`);

/**
 * An id another party may send as a JSON integer (Laravel's `"id": 123`): a safe integer is read
 * as its decimal string, and the id is always answered as a string.
 */
export const integerOrText = <T extends z.ZodType<string, string>>(schema: T) =>
  z.union([schema, z.int()]).transform(String);

/**
 * An optional field that may also be sent as `null` (PHP's and Laravel's way of writing "absent"):
 * `null` is read as absent, so that both mean the same booking.
 */
export const nullishOptional = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .transform((value): z.output<T> | undefined => value ?? undefined)
    .optional();

/** The fields every edge uses: bookings, webhooks, SendGrid events, join links and the typed client. */
export const textField = {
  /** A name or a title. */
  name: () => safeText(TEXT_LIMITS.name),
  /** Another party's id of a person or a thing (a platform user id, an account id). */
  id: () => safeText(TEXT_LIMITS.id),
  zoomUserId: () => safeText(TEXT_LIMITS.zoomUserId),
  /** Our own ids, which go into workflow ids and URLs: letters, digits, _ and - only. */
  slug: (max: number = TEXT_LIMITS.id) =>
    z.string().regex(new RegExp(`^[A-Za-z0-9_-]{1,${max}}$`), {
      message: `letters, digits, _ and -, at most ${max}`,
    }),
  /** zod's address pattern is ASCII only, so it already refuses every unsafe character. */
  email: () =>
    z
      .email({ message: 'must be an email address' })
      .max(TEXT_LIMITS.email, { message: `must be at most ${TEXT_LIMITS.email} characters` }),
};
