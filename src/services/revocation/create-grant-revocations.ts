import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { GrantRevocationsStore } from '../../db/stores/grant-revocations-store';
import type { Logger } from '../../logger';
import { afterCommit } from '../../util/after-commit';
import { GrantAlreadyRevokedError, type GrantRevocations } from '../zoom-connection/grant-revocations';

/**
 * A deferred revocation starts this long after its notBefore: a confirmation that passed its
 * expiry check just before notBefore has that long to commit its withdraw.
 */
const WITHDRAW_GRACE_MS = 60_000;

export interface GrantRevocationsDeps {
  store: GrantRevocationsStore;
  clock: Clock;
  logger: Logger;
  /** Asks the processor to look now (best effort: its schedule finds the row anyway). */
  wake(): Promise<void>;
}

/**
 * Every grant the service drops is recorded here, in the caller's transaction, so the drop and
 * the deletion that made it commit together; the processor (revocation-processor.ts) revokes it.
 */
export function createGrantRevocations(deps: GrantRevocationsDeps): GrantRevocations {
  const { store } = deps;

  /** Once the caller's transaction has committed, so the processor can see the row. */
  const wakeAfterCommit = (trx: Knex.Transaction | undefined, id: string): void =>
    afterCommit(
      trx,
      () => deps.wake(),
      (error) =>
        deps.logger.debug(
          { revocationId: id, err: error instanceof Error ? error.message : String(error) },
          'could not wake the revocation processor; its schedule will find the revocation',
        ),
    );

  return {
    async drop(grant, trx, options = {}) {
      const id = randomUUID();
      const now = deps.clock.now();
      const notBefore = options.notBefore;
      await store.insert(
        {
          id,
          accessToken: grant.accessToken,
          refreshToken: grant.refreshToken,
          accessExpiresAt: grant.accessTokenExpiresAt,
          zoomUserId: grant.zoomUserId,
          userId: grant.userId ?? null,
          reason: grant.reason,
          notBefore,
          nextAttemptAt:
            notBefore && notBefore > now ? new Date(notBefore.getTime() + WITHDRAW_GRACE_MS) : now,
        },
        trx,
      );
      deps.logger.info(
        { revocationId: id, reason: grant.reason, tutorId: grant.userId, zoomUserId: grant.zoomUserId },
        'Zoom grant dropped: it will be revoked unless another connection holds that Zoom user',
      );
      if (!notBefore || notBefore <= now) wakeAfterCommit(trx, id);
      return id;
    },

    async withdraw(revocationId, trx) {
      if (await store.withdrawUntouched(revocationId, deps.clock.now(), trx)) return;
      const revocation = await store.find(revocationId, trx);
      if (!revocation) throw new Error(`no revocation ${revocationId}`);
      // Withdrawn twice, or forgotten (another connection held that Zoom user): the grant lives.
      if (revocation.outcome === 'withdrawn' || revocation.outcome === 'forgotten') return;
      // Revoked, dead, or an attempt under way (which may have rotated its refresh token).
      throw new GrantAlreadyRevokedError(revocationId);
    },
  };
}
