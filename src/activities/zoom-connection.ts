import type { Knex } from 'knex';
import type { Logger } from '../logger';
import { dropTakenGrant } from '../services/revocation/drop-taken-grant';
import type { GrantRevocations } from '../services/zoom-connection/grant-revocations';
import type { ZoomTokenService } from '../services/zoom-connection/token-service';

export interface ZoomConnectionActivityDeps {
  db: Knex;
  tokenService: ZoomTokenService;
  revocations: GrantRevocations;
  logger: Logger;
}

export interface DeauthorizationInput {
  zoomUserId: string;
  /** ISO time of Zoom's deauthorization: only grants made before it are affected. */
  deauthorizedAt: string;
}

export function createZoomConnectionActivities(deps: ZoomConnectionActivityDeps) {
  const { tokens, events } = deps.tokenService;

  /** Read-only, so any retry answers the same tutors as long as nothing was deleted yet. */
  async function findDeauthorizedTutors(input: DeauthorizationInput): Promise<string[]> {
    return tokens.findUserIdsByZoomUid(input.zoomUserId, new Date(input.deauthorizedAt));
  }

  /** With no `before` (legacy path) every grant of that Zoom user goes. */
  async function forget(zoomUserId: string, tutorIds: string[], deleteUserData: boolean, before?: Date) {
    for (const tutorId of tutorIds) {
      await deps.db.transaction(async (trx) => {
        const taken = await tokens.takeGrant(tutorId, zoomUserId, before, trx);
        if (!taken) return;
        // Dead at Zoom already: the processor finds it so, unless a newer grant of that user lives.
        await dropTakenGrant(deps, taken, 'deauthorized', trx);
        await events.record(tutorId, 'deauthorized', before?.toISOString(), trx);
      });
    }
    if (!deleteUserData || tutorIds.length === 0) return;
    const history = deps
      .db('zoom_connection_events')
      .whereIn('user_id', tutorIds)
      .whereNot({ event: 'deauthorized' });
    await (before ? history.where('at', '<=', before) : history).delete();
  }

  return {
    findDeauthorizedTutors,

    /**
     * Deletes those tutors' grants made before the deauthorization (never a reconnection made since)
     * and, with user_data_retention "false", the Zoom-derived history we keep for them up to then,
     * within Zoom's 10 days. A retry deletes nothing more and records no second event.
     */
    async forgetDeauthorizedGrants(
      input: DeauthorizationInput & { tutorIds: string[]; deleteUserData: boolean },
    ): Promise<void> {
      await forget(input.zoomUserId, input.tutorIds, input.deleteUserData, new Date(input.deauthorizedAt));
    },
  };
}
export type ZoomConnectionActivities = ReturnType<typeof createZoomConnectionActivities>;
