import type { LessonsStore } from '../../db/stores/lessons-store';
import type { Lesson } from '../../lessons/types';
import { LessonNotRecordedError } from './lesson-errors';

export type LoadedLesson = Lesson & { status: string; version: number; bookingHash: string };

/** A recorded lesson with its people, as the meeting steps use it; unknown ones are an error. */
export const lessonLoader =
  (lessons: Pick<LessonsStore, 'findWithPeople'>) =>
  async (lessonId: string): Promise<LoadedLesson> => {
    const row = await lessons.findWithPeople(lessonId);
    if (!row) throw new LessonNotRecordedError(lessonId);
    return {
      id: row.id,
      title: row.title ?? undefined,
      startsAt: row.startsAt,
      endsAt: row.endsAt,
      tutor: row.tutor,
      student: row.student,
      status: row.status,
      version: row.version,
      bookingHash: row.bookingHash,
    };
  };
