import type { ReconnectionStore } from '../../db/stores/reconnection-store';

/**
 * updateReconnectionAttempts() from the seed (step 4): one more failed reconnection for this
 * token, counted at most once per day, however often the saga's activities retry.
 */
export function updateReconnectionAttempts(
  store: ReconnectionStore,
  input: { tokenId: string; version: number; day: string },
): Promise<number | undefined> {
  return store.countAttemptOnce(input.tokenId, input.version, input.day);
}
