import { createHash } from 'node:crypto';
import type { LessonBooking } from '../../lessons/schemas';

/** Times are normalised to UTC so the same instant written two ways is the same booking. */
export function normaliseBooking(booking: LessonBooking): LessonBooking {
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
export function bookingHash(booking: LessonBooking): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(normaliseBooking(booking))))
    .digest('hex');
}
