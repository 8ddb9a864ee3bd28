import type { Lesson } from '../../lessons/types';

export const lessonTopic = (lesson: Pick<Lesson, 'title' | 'tutor' | 'student'>): string =>
  lesson.title ?? `Lesson: ${lesson.tutor.name} and ${lesson.student.name}`;

export const toUnixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
export const minutes = (n: number): number => n * 60_000;
