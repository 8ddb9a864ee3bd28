import type { LessonRow, LessonsStore } from '../../db/stores/lessons-store';
import type { LessonBooking } from '../../lessons/schemas';

/**
 * The booking as rows: both people and the lesson. A lesson already recorded under this id
 * changes nothing and is returned, for the caller to tell a repeat from a conflict.
 */
export function bookingRecorder(lessons: LessonsStore) {
  return async function recordBooking(
    booking: LessonBooking,
    bookingHash: string,
    workflowId: string,
    options: { replaceOtherBooking?: boolean } = {},
  ): Promise<LessonRow | undefined> {
    const inserted = await lessons.insertWithPeople(
      {
        id: booking.id,
        tutorId: booking.tutor.id,
        studentId: booking.student.id,
        title: booking.title ?? null,
        startsAt: new Date(booking.startsAt),
        endsAt: new Date(booking.endsAt),
        bookingHash,
        workflowId,
      },
      [booking.tutor, booking.student],
      options,
    );
    if (inserted) return undefined;
    const known = await lessons.find(booking.id);
    if (!known) throw new Error(`lesson ${booking.id} conflicted on insert but has no row`);
    return known;
  };
}
