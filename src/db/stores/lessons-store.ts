import type { Knex } from 'knex';

export interface PersonRow {
  id: string;
  email: string;
  name: string;
  timeZone: string;
}

export type LessonStatus = 'booked' | 'cancelled' | 'finished';

export interface LessonRow {
  id: string;
  tutorId: string;
  studentId: string;
  title: string | null;
  startsAt: Date;
  endsAt: Date;
  status: LessonStatus;
  version: number;
  bookingHash: string;
  workflowId: string;
}

const toLesson = (r: Record<string, unknown>): LessonRow => ({
  id: r.id as string,
  tutorId: r.tutor_id as string,
  studentId: r.student_id as string,
  title: (r.title as string | null) ?? null,
  startsAt: new Date(r.starts_at as string),
  endsAt: new Date(r.ends_at as string),
  status: r.status as LessonStatus,
  version: r.version as number,
  bookingHash: r.booking_hash as string,
  workflowId: r.workflow_id as string,
});

/** Lessons as the booking system describes them, with their status and a version per change. */
export function createLessonsStore(db: Knex) {
  return {
    async find(id: string, trx: Knex = db): Promise<LessonRow | undefined> {
      const row = await trx('lessons').where({ id }).first();
      return row ? toLesson(row) : undefined;
    },

    /** The lesson with its tutor and student, as the meeting services and emails need it. */
    async findWithPeople(
      id: string,
    ): Promise<(LessonRow & { tutor: PersonRow; student: PersonRow }) | undefined> {
      const lesson = await this.find(id);
      if (!lesson) return undefined;
      const people = await db('users').whereIn('id', [lesson.tutorId, lesson.studentId]);
      const person = (userId: string): PersonRow => {
        const u = people.find((p) => p.id === userId);
        return {
          id: userId,
          email: u?.email ?? '',
          name: u?.name ?? userId,
          timeZone: u?.time_zone ?? 'UTC',
        };
      };
      return { ...lesson, tutor: person(lesson.tutorId), student: person(lesson.studentId) };
    },

    /** Inserts a booking; an existing row is left as it is (a repeated booking changes nothing). */
    async insertIfAbsent(lesson: Omit<LessonRow, 'status' | 'version'>, trx: Knex = db): Promise<void> {
      await trx('lessons')
        .insert({
          id: lesson.id,
          tutor_id: lesson.tutorId,
          student_id: lesson.studentId,
          title: lesson.title,
          starts_at: lesson.startsAt,
          ends_at: lesson.endsAt,
          booking_hash: lesson.bookingHash,
          workflow_id: lesson.workflowId,
        })
        .onConflict('id')
        .ignore();
    },

    /** Applies a reschedule at most once per version. */
    async reschedule(id: string, times: { startsAt: Date; endsAt: Date }, version: number): Promise<void> {
      await db('lessons')
        .where({ id })
        .where('version', '<', version)
        .update({ starts_at: times.startsAt, ends_at: times.endsAt, version, updated_at: db.fn.now() });
    },

    async setVersion(id: string, version: number): Promise<void> {
      await db('lessons')
        .where({ id })
        .where('version', '<', version)
        .update({ version, updated_at: db.fn.now() });
    },

    async setStatus(id: string, status: LessonStatus): Promise<void> {
      await db('lessons').where({ id }).update({ status, updated_at: db.fn.now() });
    },

    /** The tutor's upcoming lessons whose meeting is on Zoom (PostgreSQL, not visibility, is the truth). */
    async upcomingZoomLessonsOfTutor(tutorId: string, now: Date): Promise<LessonRow[]> {
      const rows = await db('lessons')
        .join('meetings', 'meetings.lesson_id', 'lessons.id')
        .join('oauth_service_providers', 'oauth_service_providers.id', 'meetings.oauth_service_provider_id')
        .where({
          'lessons.tutor_id': tutorId,
          'lessons.status': 'booked',
          'oauth_service_providers.name': 'zoom',
        })
        .where('lessons.ends_at', '>', now)
        .select('lessons.*');
      return rows.map(toLesson);
    },
  };
}
export type LessonsStore = ReturnType<typeof createLessonsStore>;
