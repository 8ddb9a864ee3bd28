import type { Knex } from 'knex';
import { isUnreadable, type ListedZoomToken } from '../../db/stores/oauth-service-tokens-store';
import type { Logger } from '../../logger';
import type { GrantRevocations, RevocationReason } from '../zoom-connection/grant-revocations';

/**
 * Hands a connection just deleted in `trx` to the revocations, in the same transaction. One whose
 * tokens can't be decrypted (its key was dropped) can't be revoked by us: it is said, loudly.
 */
export async function dropTakenGrant(
  deps: { revocations: GrantRevocations; logger: Logger },
  taken: ListedZoomToken,
  reason: RevocationReason,
  trx: Knex.Transaction,
): Promise<void> {
  if (isUnreadable(taken)) {
    deps.logger.error(
      { tokenId: taken.id, tutorId: taken.userId, reason, err: taken.unreadable },
      'A deleted Zoom connection could not be decrypted, so its grant cannot be revoked at Zoom',
    );
    return;
  }
  await deps.revocations.drop(
    {
      zoomUserId: taken.uid,
      accessToken: taken.accessToken,
      refreshToken: taken.refreshToken,
      accessTokenExpiresAt: taken.expiresAt,
      reason,
      userId: taken.userId,
    },
    trx,
  );
}
