import type { Knex } from 'knex';

/** Nonces of OAuth states and reconnect tokens: each works once. */
export function createNoncesStore(db: Knex) {
  return {
    /** True the first time a nonce is used; false for a replay. */
    async useOnce(nonce: string, purpose: string, expiresAt: Date, trx: Knex = db): Promise<boolean> {
      const inserted = await trx('one_time_nonces')
        .insert({ nonce: `${purpose}:${nonce}`, purpose, expires_at: expiresAt })
        .onConflict('nonce')
        .ignore()
        .returning('nonce');
      return inserted.length === 1;
    },

    async isUsed(nonce: string, purpose: string): Promise<boolean> {
      return (
        (await db('one_time_nonces')
          .where({ nonce: `${purpose}:${nonce}` })
          .first('nonce')) !== undefined
      );
    },

    async pruneExpired(now: Date): Promise<number> {
      return db('one_time_nonces').where('expires_at', '<', now).delete();
    },
  };
}
export type NoncesStore = ReturnType<typeof createNoncesStore>;
