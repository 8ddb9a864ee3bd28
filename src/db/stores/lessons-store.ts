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

    /** The lesson with its tutor and student, as the meeting services and emails need it (one query). */
    async findWithPeople(
      id: string,
    ): Promise<(LessonRow & { tutor: PersonRow; student: PersonRow }) | undefined> {
      const row = await db('lessons as l')
        .leftJoin('users as t', 't.id', 'l.tutor_id')
        .leftJoin('users as s', 's.id', 'l.student_id')
        .where('l.id', id)
        .first(
          'l.*',
          ...['email', 'name', 'time_zone'].flatMap((c) => [
            `t.${c} as tutor_${c}`,
            `s.${c} as student_${c}`,
          ]),
        );
      if (!row) return undefined;
      const lesson = toLesson(row);
      const person = (userId: string, role: 'tutor' | 'student'): PersonRow => ({
        id: userId,
        email: row[`${role}_email`] ?? '',
        name: row[`${role}_name`] ?? userId,
        timeZone: row[`${role}_time_zone`] ?? 'UTC',
      });
      return {
        ...lesson,
        tutor: person(lesson.tutorId, 'tutor'),
        student: person(lesson.studentId, 'student'),
      };
    },

    /**
     * Records a booking in one statement: the lesson unless it exists already, and only then both
     * people (a name or email the booking carries replaces the known one; a missing time zone keeps
     * it). So a repeated or conflicting booking, even one racing the first, changes nothing.
     * True when this call wrote the lesson.
     *
     * `replaceOtherBooking`: the lesson's workflow, which Temporal made the one live booking of this
     * id, replaces a row another booking of the id wrote meanwhile (one refused with a 409), as long
     * as nothing was made from it yet: no meeting, no reschedule.
     */
    async insertWithPeople(
      lesson: Omit<LessonRow, 'status' | 'version'>,
      people: Array<{ id: string; email: string; name: string; timeZone?: string }>,
      options: { replaceOtherBooking?: boolean } = {},
    ): Promise<boolean> {
      const values = people.map(() => '(?, ?, ?, ?::text)').join(', ');
      const onConflict = options.replaceOtherBooking
        ? `DO UPDATE SET tutor_id = EXCLUDED.tutor_id, student_id = EXCLUDED.student_id, title = EXCLUDED.title,
             starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, booking_hash = EXCLUDED.booking_hash,
             updated_at = now()
           WHERE lessons.booking_hash <> EXCLUDED.booking_hash AND lessons.status = 'booked'
             AND lessons.version = 1 AND NOT EXISTS (SELECT 1 FROM meetings m WHERE m.lesson_id = lessons.id)`
        : 'DO NOTHING';
      // Foreign keys are checked at the end of the statement, when the people are in.
      const result = await db.raw(
        `WITH booked(id, email, name, time_zone) AS (VALUES ${values}),
              lesson AS (
                INSERT INTO lessons (id, tutor_id, student_id, title, starts_at, ends_at, booking_hash, workflow_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) ${onConflict}
                RETURNING id),
              people AS (
                INSERT INTO users AS u (id, email, name, time_zone)
                SELECT id, email, name, COALESCE(time_zone, 'UTC') FROM booked
                WHERE EXISTS (SELECT 1 FROM lesson)
                ON CONFLICT (id) DO UPDATE SET
                  email = EXCLUDED.email,
                  name = EXCLUDED.name,
                  time_zone = COALESCE((SELECT b.time_zone FROM booked b WHERE b.id = u.id), u.time_zone),
                  updated_at = now())
         SELECT count(*)::int AS inserted FROM lesson`,
        [
          ...people.flatMap((p) => [p.id, p.email, p.name, p.timeZone ?? null]),
          lesson.id,
          lesson.tutorId,
          lesson.studentId,
          lesson.title,
          lesson.startsAt,
          lesson.endsAt,
          lesson.bookingHash,
          lesson.workflowId,
        ],
      );
      return (result.rows as Array<{ inserted: number }>)[0]?.inserted === 1;
    },

    /**
     * Applies a reschedule unless a newer version is recorded; false when it is stale. The same
     * version applies again (its retry carries the same times), so a version that another step
     * recorded first, such as a move, does not swallow the reschedule.
     */
    async reschedule(id: string, times: { startsAt: Date; endsAt: Date }, version: number): Promise<boolean> {
      const updated = await db('lessons')
        .where({ id })
        .where('version', '<=', version)
        .update({ starts_at: times.startsAt, ends_at: times.endsAt, version, updated_at: db.fn.now() });
      return updated > 0;
    },

    /**
     * The lesson's version for the booking of workflow run `runId`. The first run to book it keeps
     * the version; a later one (the lesson booked again after its workflow failed) takes the next,
     * once, however often its booking step runs. `madeBefore`: a meeting exists already, so a row
     * claimed by no run (one from before runs were recorded) was booked by an earlier run too.
     */
    async claimForRun(id: string, runId: string, madeBefore: boolean): Promise<number | undefined> {
      const result = await db.raw(
        `UPDATE lessons
            SET version = version + CASE WHEN booked_run_id IS NOT NULL OR ? THEN 1 ELSE 0 END,
                booked_run_id = ?, updated_at = now()
          WHERE id = ? AND booked_run_id IS DISTINCT FROM ?
         RETURNING version`,
        [madeBefore, runId, id, runId],
      );
      return (result.rows as Array<{ version: number }>)[0]?.version;
    },

    async setVersion(id: string, version: number): Promise<void> {
      await db('lessons')
        .where({ id })
        .where('version', '<', version)
        .update({ version, updated_at: db.fn.now() });
    },

    /**
     * Moves a booked lesson to `status`; a lesson already cancelled or finished keeps its end (a
     * cancel racing the end must not rewrite what happened). False when there is no such lesson.
     */
    async setStatus(id: string, status: LessonStatus, trx: Knex = db): Promise<boolean> {
      const updated = await trx('lessons')
        .where({ id })
        .whereIn('status', ['booked', status])
        .update({ status, updated_at: trx.fn.now() });
      return updated > 0 || (await trx('lessons').where({ id }).first('id')) !== undefined;
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
