/** A lesson as the meeting services see it (times as Dates, people with their time zones). */
export interface Person {
  id: string;
  email: string;
  name: string;
  timeZone?: string;
}

export interface Lesson {
  id: string;
  title?: string;
  startsAt: Date;
  endsAt: Date;
  tutor: Person;
  student: Person;
}

/** Windows around a lesson: how early people may join and how long the room outlives the end. */
export interface LessonTiming {
  earlyJoinMinutes: number;
  graceMinutes: number;
}

export const lessonTopic = (lesson: Pick<Lesson, 'title' | 'tutor' | 'student'>): string =>
  lesson.title ?? `Lesson: ${lesson.tutor.name} and ${lesson.student.name}`;

export const toUnixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
export const minutes = (n: number): number => n * 60_000;
