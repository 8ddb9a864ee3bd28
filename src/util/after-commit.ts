import type { Knex } from 'knex';

/**
 * Runs `work` once `trx` has committed (at once without one), so that what it wakes can see the
 * rows. Best effort: a failure is handed to `onError`, and a rolled-back transaction runs nothing.
 */
export function afterCommit(
  trx: Knex.Transaction | undefined,
  work: () => Promise<void>,
  onError: (error: unknown) => void,
): void {
  void (trx ? trx.executionPromise : Promise.resolve()).then(work).catch(onError);
}
