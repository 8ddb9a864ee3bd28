import type { Knex } from 'knex';

/**
 * Mutual exclusion per key across processes: a PostgreSQL advisory lock held for as long as `work`
 * runs. The lock is held on a connection from a pool of its own, so the work under it, which needs
 * connections of the main pool, can never starve for one: with a single pool, as many lock holders
 * as pool slots would each wait for a second connection forever.
 */
export function createAdvisoryLocks(lockDb: Knex) {
  return {
    async withLock<T>(key: string, work: () => Promise<T>): Promise<T> {
      return lockDb.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
        return work();
      });
    },
    close: () => lockDb.destroy(),
  };
}
export type AdvisoryLocks = ReturnType<typeof createAdvisoryLocks>;
