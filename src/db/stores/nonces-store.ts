import type { Knex } from 'knex';

/** Nonces of OAuth states and reconnect tokens: each works once. */
export function createNoncesStore(db: Knex) {
  return {
    /** True the first time a nonce is used; false for a replay. */
    async useOnce(nonce: string, purpose: string, expiresAt: Date): Promise<boolean> {
      const inserted = await db('one_time_nonces')
        .insert({ nonce: `${purpose}:${nonce}`, purpose, expires_at: expiresAt })
        .onConflict('nonce')
        .ignore()
        .returning('nonce');
      return inserted.length === 1;
    },

    async pruneExpired(now: Date): Promise<number> {
      return db('one_time_nonces').where('expires_at', '<', now).delete();
    },
  };
}
export type NoncesStore = ReturnType<typeof createNoncesStore>;
