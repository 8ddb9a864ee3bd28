import type { Knex } from 'knex';
import type { LessonStatus } from './lessons-store';
import { PERSONAL_DATA_TABLES, type PersonToErase } from './personal-data-tables';

/** What names a person in our tables, as found before an erasure. */
export interface PersonIdentifiers {
  exists: boolean;
  names: string[];
  /** Lower case, without duplicates. */
  emails: string[];
  zoomUserIds: string[];
}

export interface PersonLesson {
  id: string;
  workflowId: string;
  status: LessonStatus;
  role: 'tutor' | 'student';
  tutorId: string;
}

export interface ErasureRecord {
  userId: string;
  erased: Record<string, number>;
  cancelledLessonIds: string[];
  workflowIds: string[];
  zoomMeetingsRewritten: number;
}

const EMAIL_LIKE = /^[^@\s]+@[^@\s]+$/;
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** The lookups and the writes of `forget-person`; the tables themselves are listed in personal-data-tables. */
export function createPersonalDataStore(db: Knex) {
  /**
   * The addresses the ledger sent the person's emails to, by their keys (an address they no longer
   * use too): `<lesson>:<event>:<version>:<their role>` and `zoom-reconnect:<their token>:<day>`.
   */
  async function ledgerRecipients(userId: string): Promise<string[]> {
    const lessons = await db('lessons')
      .where({ tutor_id: userId })
      .orWhere({ student_id: userId })
      .select('id', 'tutor_id');
    const tokenIds = [
      ...(await db('oauth_service_tokens').where({ user_id: userId }).pluck('id')),
      ...(await db('reconnection_deletions').where({ user_id: userId }).pluck('token_id')),
    ];
    const keys = [
      ...lessons.map((l) => `${likeLiteral(l.id)}:%:${l.tutor_id === userId ? 'tutor' : 'student'}`),
      ...tokenIds.map((id) => `zoom-reconnect:${likeLiteral(String(id))}:%`),
    ];
    if (keys.length === 0) return [];
    const { rows } = await db.raw<{ rows: Array<{ recipient: string }> }>(
      `SELECT DISTINCT recipient FROM sent_emails WHERE idempotency_key LIKE ANY (?::text[])`,
      [keys],
    );
    return rows.map((r) => r.recipient);
  }

  return {
    async identify(userId: string): Promise<PersonIdentifiers> {
      const user = await db('users').where({ id: userId }).first('name', 'email');
      const tokenEmails = await db('oauth_service_tokens').where({ user_id: userId }).pluck('email');
      const tokenUids = await db('oauth_service_tokens').where({ user_id: userId }).pluck('uid');
      const pending = await db('zoom_pending_grants as g')
        .join('zoom_connect_sessions as s', 's.id', 'g.session_id')
        .where('s.user_id', userId)
        .select('g.email', 'g.zoom_user_id');
      // A connection event's detail is the Zoom account's email (older ones than the token's, too).
      const details = await db('zoom_connection_events')
        .where({ user_id: userId })
        .whereIn('event', ['connected', 'reconnected'])
        .pluck('detail');
      const revoked = await db('zoom_grant_revocations')
        .where({ user_id: userId })
        .whereNotNull('zoom_user_id')
        .pluck('zoom_user_id');
      const emails = [
        user?.email,
        ...tokenEmails,
        ...pending.map((p) => p.email),
        ...details,
        ...(await ledgerRecipients(userId)),
      ]
        .filter((e): e is string => typeof e === 'string' && EMAIL_LIKE.test(e.trim()))
        .map((e) => e.trim().toLowerCase());
      return {
        exists: Boolean(user),
        names: user?.name?.trim() ? [user.name.trim()] : [],
        emails: [...new Set(emails)],
        zoomUserIds: [...new Set<string>([...tokenUids, ...pending.map((p) => p.zoom_user_id), ...revoked])],
      };
    },

    /** Every lesson the person teaches or attends, whatever its status. */
    async lessonsOf(userId: string): Promise<PersonLesson[]> {
      const rows = await db('lessons')
        .where({ tutor_id: userId })
        .orWhere({ student_id: userId })
        .orderBy('starts_at')
        .select('id', 'workflow_id', 'status', 'tutor_id');
      return rows.map((r) => ({
        id: r.id,
        workflowId: r.workflow_id,
        status: r.status,
        role: r.tutor_id === userId ? 'tutor' : 'student',
        tutorId: r.tutor_id,
      }));
    },

    /** Every table's erasure and the audit row, in one transaction: all of it or nothing. */
    async erase(
      person: PersonToErase,
      record: Omit<ErasureRecord, 'erased'>,
      alsoInTransaction: (trx: Knex.Transaction) => Promise<Record<string, number>>,
    ): Promise<Record<string, number>> {
      return db.transaction(async (trx) => {
        const erased: Record<string, number> = await alsoInTransaction(trx);
        for (const entry of PERSONAL_DATA_TABLES) erased[entry.table] = await entry.erase(trx, person);
        await trx('person_erasures').insert({
          user_id: record.userId,
          erased: JSON.stringify(erased),
          cancelled_lesson_ids: JSON.stringify(record.cancelledLessonIds),
          workflow_ids: JSON.stringify(record.workflowIds),
          zoom_meetings_rewritten: record.zoomMeetingsRewritten,
        });
        return erased;
      });
    },

    async erasuresOf(userId: string): Promise<ErasureRecord[]> {
      const rows = await db('person_erasures').where({ user_id: userId }).orderBy('id');
      return rows.map((r) => ({
        userId: r.user_id,
        erased: r.erased,
        cancelledLessonIds: r.cancelled_lesson_ids,
        workflowIds: r.workflow_ids,
        zoomMeetingsRewritten: r.zoom_meetings_rewritten,
      }));
    },
  };
}
export type PersonalDataStore = ReturnType<typeof createPersonalDataStore>;
