import type { Knex } from 'knex';
import type { ConnectionEventsStore } from '../../db/stores/connection-events-store';
import type { TokensStore } from '../../db/stores/oauth-service-tokens-store';
import type { Logger } from '../../logger';
import { dropTakenGrant } from '../revocation/drop-taken-grant';
import type { GrantRevocations } from './grant-revocations';
import type { ZoomEvents } from '../platform-events/zoom-events';

export interface ZoomDeauthorizationDeps {
  /** Only for the transaction that takes a grant, drops it and records the event together. */
  db: Knex;
  tokens: TokensStore;
  events: ConnectionEventsStore;
  /** The platform's Zoom events; none when left out (a process that only refreshes). */
  zoomEvents?: ZoomEvents;
  revocations: GrantRevocations;
  logger: Logger;
}

/** Zoom's deauthorization of the app by one Zoom user: which tutors it hits, and forgetting them. */
export function createZoomDeauthorization(deps: ZoomDeauthorizationDeps) {
  const { tokens, events } = deps;
  return {
    /** Read-only, so any retry answers the same tutors as long as nothing was deleted yet. */
    async findDeauthorizedTutors(zoomUserId: string, deauthorizedAt: Date): Promise<string[]> {
      return tokens.findUserIdsByZoomUid(zoomUserId, deauthorizedAt);
    },

    /**
     * Deletes those tutors' grants made before the deauthorization (never a reconnection made
     * since) and, with `deleteUserData`, their Zoom-derived history up to then. A retry deletes
     * nothing more and records no second event.
     */
    async forgetDeauthorizedGrants(
      zoomUserId: string,
      tutorIds: string[],
      deleteUserData: boolean,
      before: Date,
    ): Promise<void> {
      for (const tutorId of tutorIds) {
        await deps.db.transaction(async (trx) => {
          const taken = await tokens.takeGrant(tutorId, zoomUserId, before, trx);
          if (!taken) return;
          // Dead at Zoom already: the processor finds it so, unless a newer grant of that user lives.
          await dropTakenGrant(deps, taken, 'deauthorized', trx);
          await events.record(tutorId, 'deauthorized', before.toISOString(), trx);
          await deps.zoomEvents?.disconnected(tutorId, 'deauthorized', trx);
        });
      }
      if (deleteUserData && tutorIds.length > 0) await events.deleteHistory(tutorIds, before);
    },
  };
}
export type ZoomDeauthorization = ReturnType<typeof createZoomDeauthorization>;
