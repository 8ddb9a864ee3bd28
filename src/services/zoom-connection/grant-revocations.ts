import type { Knex } from 'knex';

/**
 * Why a Zoom grant is dropped. Every dropped grant goes through `GrantRevocations.drop`, which
 * revokes it at Zoom durably, and only when no stored connection holds the same Zoom user
 * (Zoom treats a revoke as removing the app for that Zoom user, cutting every grant of theirs).
 */
export type RevocationReason =
  | 'disconnected'
  | 'account_mismatch'
  | 'pending_expired'
  | 'reused_reconnect_link'
  | 'get_me_failed'
  | 'replaced'
  | 'deauthorized'
  /** The daily check deleted the token at MAX_RECONNECTION_ATTEMPTS. */
  | 'max_reconnection_attempts'
  /** `npm run ops -- forget-person` erased the tutor. */
  | 'person_erased';

/** A grant the service no longer keeps: its tokens in plaintext here, encrypted once stored. */
export interface DroppedGrant {
  /** The Zoom user, when known (a failing `GET /users/me` leaves it unknown). */
  zoomUserId: string | null;
  accessToken: string;
  refreshToken: string;
  /** When the access token expires, if known: an expired one is refreshed before the revoke. */
  accessTokenExpiresAt?: Date;
  reason: RevocationReason;
  /** The tutor it was for, for the logs and `npm run ops`; never used to find the grant. */
  userId?: string;
}

export interface GrantRevocations {
  /**
   * Records the grant for durable revocation, in `trx` when given (so that the drop and its
   * revocation commit together). Returns at once with the revocation's id; the revocation itself
   * runs later, with retries. `notBefore` defers it: a pending grant is dropped when it is held,
   * due at its expiry, and withdrawn if it is confirmed in time.
   */
  drop(grant: DroppedGrant, trx?: Knex.Transaction, options?: { notBefore?: Date }): Promise<string>;
  /**
   * Cancels a revocation not yet done (the pending grant it guarded was confirmed). In `trx`, the
   * row stays locked until it commits, so the processor cannot revoke in between. Throws
   * `GrantAlreadyRevokedError` when the grant was revoked (or found dead) already, or an attempt
   * has begun (it may have rotated the refresh token): the caller's tokens are then no use.
   * A deferred revocation is attempted a minute after its notBefore at the earliest.
   */
  withdraw(revocationId: string, trx?: Knex.Transaction): Promise<void>;
}

/** withdraw() came too late: Zoom no longer honours that grant (or soon won't). */
export class GrantAlreadyRevokedError extends Error {
  override name = 'GrantAlreadyRevokedError';
  constructor(readonly revocationId: string) {
    super(`the grant of revocation ${revocationId} was already revoked at Zoom`);
  }
}
