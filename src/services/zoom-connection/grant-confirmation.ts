import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { ConnectionEventsStore } from '../../db/stores/connection-events-store';
import type { ConnectSessionsStore } from '../../db/stores/connect-sessions-store';
import type { NoncesStore } from '../../db/stores/nonces-store';
import type { TokensStore } from '../../db/stores/oauth-service-tokens-store';
import type { PendingGrant, PendingGrantsStore } from '../../db/stores/pending-grants-store';
import type { UsersStore } from '../../db/stores/users-store';
import { GrantAlreadyRevokedError, type GrantRevocations } from './grant-revocations';
import { hashOneTimeSecret } from './one-time-secret';
import { RECONNECT_NONCE_PURPOSE } from './reconnect-token';
import type { ZoomEvents } from '../platform-events/zoom-events';

export interface GrantConfirmationDeps {
  /** Only for transactions spanning the stores. */
  db: Knex;
  tokens: TokensStore;
  users: UsersStore;
  events: ConnectionEventsStore;
  /** The platform's Zoom events; none when left out (a process that only refreshes). */
  zoomEvents?: ZoomEvents;
  sessions: ConnectSessionsStore;
  pendingGrants: PendingGrantsStore;
  nonces: NoncesStore;
  revocations: GrantRevocations;
  clock: Clock;
}

/** Who confirms: the platform user behind a JWT, or the tutor of the session on npm start's own page. */
export type Confirmer = { platformUserId: string } | { sessionUser: true };

export type ConfirmOutcome =
  | { status: 'connected'; userId: string; email: string | null; reconnected: boolean }
  | { status: 'unknown' }
  | { status: 'gone'; reason: 'used' | 'expired' | 'used_reconnect_link' }
  | { status: 'account_mismatch' };

/**
 * Step 5, bound to the logged-in platform user: the pending grant is attached only when that user
 * is the one its connect session was made for. A forwarded session URL or reconnect link thus
 * cannot put the holder's Zoom account under someone else's tutor id.
 */
export function createGrantConfirmation(deps: GrantConfirmationDeps) {
  const { users, events } = deps;

  /** The pending grant is not attached: its deferred revocation gives way to one due now. */
  async function refuse(
    grant: PendingGrant,
    userId: string,
    reason: 'account_mismatch' | 'reused_reconnect_link',
    trx: Knex.Transaction,
  ) {
    await deps.pendingGrants.finish(grant.id, reason, deps.clock.now(), trx);
    await deps.revocations.withdraw(grant.revocationId, trx);
    await deps.revocations.drop(
      {
        zoomUserId: grant.zoomUserId,
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken,
        reason,
        userId,
      },
      trx,
    );
  }

  async function attach(grant: PendingGrant, userId: string, trx: Knex.Transaction): Promise<boolean> {
    const existing = await deps.tokens.lockByUser(userId, trx);
    // Another Zoom user's grant is replaced: nothing holds it any more. The same user's is simply
    // overwritten (revoking it would cut the new grant too: Zoom revokes per Zoom user).
    if (existing && existing.uid !== grant.zoomUserId)
      await deps.revocations.drop(
        {
          zoomUserId: existing.uid,
          accessToken: existing.accessToken,
          refreshToken: existing.refreshToken,
          reason: 'replaced',
          userId,
        },
        trx,
      );
    await users.upsertUser({ id: userId }, trx);
    await deps.tokens.saveConnection(
      {
        userId,
        uid: grant.zoomUserId,
        email: grant.email,
        code: grant.code,
        accessToken: grant.accessToken,
        refreshToken: grant.refreshToken,
        expiresIn: grant.expiresIn,
        expiresAt: grant.tokenExpiresAt,
      },
      trx,
    );
    await events.record(userId, existing ? 'reconnected' : 'connected', grant.email ?? undefined, trx);
    await deps.zoomEvents?.connected(userId, existing !== undefined, trx);
    await deps.pendingGrants.finish(grant.id, 'confirmed', deps.clock.now(), trx);
    await deps.revocations.withdraw(grant.revocationId, trx);
    return existing !== undefined;
  }

  function confirmInTransaction(grantCode: string, confirmer: Confirmer): Promise<ConfirmOutcome> {
    return deps.db.transaction(async (trx): Promise<ConfirmOutcome> => {
      const grant = await deps.pendingGrants.lockByCodeHash(hashOneTimeSecret(grantCode), trx);
      if (!grant) return { status: 'unknown' };
      if (grant.finishedAt) return { status: 'gone', reason: 'used' };
      if (grant.expiresAt <= deps.clock.now()) return { status: 'gone', reason: 'expired' };
      const session = await deps.sessions.findById(grant.sessionId, trx);
      if (!session) return { status: 'unknown' };
      if ('platformUserId' in confirmer && confirmer.platformUserId !== session.userId) {
        await refuse(grant, session.userId, 'account_mismatch', trx);
        return { status: 'account_mismatch' };
      }
      // A reconnect link works once: the first confirmed reconnection through it uses it up.
      if (
        session.reconnectNonce &&
        !(await deps.nonces.useOnce(
          session.reconnectNonce,
          RECONNECT_NONCE_PURPOSE,
          session.reconnectExpiresAt ?? session.expiresAt,
          trx,
        ))
      ) {
        await refuse(grant, session.userId, 'reused_reconnect_link', trx);
        return { status: 'gone', reason: 'used_reconnect_link' };
      }
      const reconnected = await attach(grant, session.userId, trx);
      return { status: 'connected', userId: session.userId, email: grant.email, reconnected };
    });
  }

  return {
    async confirm(grantCode: string, confirmer: Confirmer): Promise<ConfirmOutcome> {
      try {
        return await confirmInTransaction(grantCode, confirmer);
      } catch (error) {
        // Its deferred revocation began at the boundary of expiry: the grant may be cut already.
        if (error instanceof GrantAlreadyRevokedError) return { status: 'gone', reason: 'expired' };
        throw error;
      }
    },

    /** Cancel on npm start's page: the grant is never attached; its deferred revocation stands. */
    async cancel(grantCode: string): Promise<void> {
      await deps.db.transaction(async (trx) => {
        const grant = await deps.pendingGrants.lockByCodeHash(hashOneTimeSecret(grantCode), trx);
        if (grant && !grant.finishedAt)
          await deps.pendingGrants.finish(grant.id, 'cancelled', deps.clock.now(), trx);
      });
    },
  };
}
export type GrantConfirmation = ReturnType<typeof createGrantConfirmation>;
