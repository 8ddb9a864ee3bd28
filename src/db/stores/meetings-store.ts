import type { Knex } from 'knex';
import type { KeyRing } from '../../crypto/key-ring';
import { reencryptRows } from '../reencrypt-rows';

export type MeetingProviderName = 'zoom' | 'daily';

export interface MeetingRow {
  meetingId: string;
  password: string | null;
  joinUrl: string;
  participantJoinUrl: string;
  provider: MeetingProviderName;
  lessonId: string;
  roomUrl: string | null;
  updatedAt: Date;
}

/** The seed's `meetings` table. `password` is encrypted, bound to the lesson. */
export function createMeetingsStore(db: Knex, keyRing: KeyRing) {
  const ref = (lessonId: string) => ({ table: 'meetings', column: 'password', row: lessonId });

  return {
    /** Meeting::createOrUpdateMeeting(): one row per lesson, created or updated in place. */
    async createOrUpdateMeeting(meeting: Omit<MeetingRow, 'updatedAt'>, trx: Knex = db): Promise<void> {
      const values = {
        meeting_id: meeting.meetingId,
        password: keyRing.encryptOptional(meeting.password, ref(meeting.lessonId)),
        join_url: meeting.joinUrl,
        participant_join_url: meeting.participantJoinUrl,
        oauth_service_provider_id: trx('oauth_service_providers')
          .select('id')
          .where({ name: meeting.provider }),
        room_url: meeting.roomUrl,
      };
      await trx('meetings')
        .insert({ ...values, lesson_id: meeting.lessonId })
        .onConflict('lesson_id')
        .merge({ ...values, updated_at: trx.fn.now() });
    },

    async findByLesson(lessonId: string, trx: Knex = db): Promise<MeetingRow | undefined> {
      const row = await trx('meetings')
        .join('oauth_service_providers', 'oauth_service_providers.id', 'meetings.oauth_service_provider_id')
        .where({ lesson_id: lessonId })
        .first('meetings.*', 'oauth_service_providers.name as provider');
      if (!row) return undefined;
      return {
        meetingId: row.meeting_id,
        password: keyRing.decryptOptional(row.password, ref(lessonId)),
        joinUrl: row.join_url,
        participantJoinUrl: row.participant_join_url,
        provider: row.provider,
        lessonId,
        roomUrl: row.room_url,
        updatedAt: new Date(row.updated_at),
      };
    },

    /** For `npm run ops -- reencrypt`: passwords written with an old key, row by row under its lock. */
    async reencryptPasswords(): Promise<number> {
      return reencryptRows(db, keyRing, {
        table: 'meetings',
        ownerColumn: 'lesson_id',
        columns: ['password'],
      });
    },

    async deleteByLesson(lessonId: string): Promise<void> {
      await db('meetings').where({ lesson_id: lessonId }).delete();
    },
  };
}
export type MeetingsStore = ReturnType<typeof createMeetingsStore>;
