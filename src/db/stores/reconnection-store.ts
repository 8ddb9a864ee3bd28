import type { Knex } from 'knex';
import { sqlDate } from '../sql-date';

/** SQL of the reconnection saga: counting attempts once a day, on the row that was validated. */
export function createReconnectionStore(db: Knex) {
  return {
    /**
     * Adds one attempt unless one was already counted on `day`, and only on the row (id + version)
     * that was validated. Returns the attempts now stored, or undefined when the row changed or went.
     */
    async countAttemptOnce(tokenId: string, version: number, day: string): Promise<number | undefined> {
      const updated = await db('oauth_service_tokens')
        .where({ id: tokenId, version })
        .where((q) => q.whereNull('last_attempt_counted_on').orWhere('last_attempt_counted_on', '<', day))
        .update({
          reconnection_attempts: db.raw('reconnection_attempts + 1'),
          last_attempt_counted_on: day,
          updated_at: db.fn.now(),
        })
        .returning('reconnection_attempts');
      if (updated.length) return (updated[0] as { reconnection_attempts: number }).reconnection_attempts;
      const row = await db('oauth_service_tokens')
        .where({ id: tokenId, version })
        .first('reconnection_attempts');
      return row?.reconnection_attempts;
    },

    async attemptsOf(
      tokenId: string,
      version: number,
    ): Promise<{ attempts: number; countedOn: string | null } | undefined> {
      const row = await db('oauth_service_tokens')
        .where({ id: tokenId, version })
        .first('reconnection_attempts', 'last_attempt_counted_on');
      if (!row) return undefined;
      return { attempts: row.reconnection_attempts, countedOn: sqlDate(row.last_attempt_counted_on) };
    },

    /** Records the saga's deletion of the validated row, in the transaction that deletes it. */
    async recordDeletion(
      deletion: { tokenId: string; version: number; userId: string; day: string; attempts: number },
      trx: Knex = db,
    ): Promise<void> {
      await trx('reconnection_deletions')
        .insert({
          token_id: deletion.tokenId,
          token_version: deletion.version,
          user_id: deletion.userId,
          day: deletion.day,
          attempts: deletion.attempts,
        })
        .onConflict('token_id')
        .ignore();
    },

    /** The saga's deletion of exactly this row (id + version), if it happened. */
    async deletionOf(
      tokenId: string,
      version: number,
    ): Promise<{ userId: string; attempts: number } | undefined> {
      const row = await db('reconnection_deletions')
        .where({ token_id: tokenId, token_version: version })
        .first('user_id', 'attempts');
      return row && { userId: row.user_id, attempts: row.attempts };
    },

    async resetAttempts(tokenId: string): Promise<void> {
      await db('oauth_service_tokens')
        .where({ id: tokenId })
        .update({ reconnection_attempts: 0, updated_at: db.fn.now() });
    },
  };
}
export type ReconnectionStore = ReturnType<typeof createReconnectionStore>;
