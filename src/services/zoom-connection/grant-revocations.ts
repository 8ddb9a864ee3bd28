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
  | 'deauthorized';

/** A grant the service no longer keeps: its tokens in plaintext here, encrypted once stored. */
export interface DroppedGrant {
  /** The Zoom user, when known (a failing `GET /users/me` leaves it unknown). */
  zoomUserId: string | null;
  accessToken: string;
  refreshToken: string;
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
  /** Cancels a revocation not yet done (the pending grant it guarded was confirmed). */
  withdraw(revocationId: string, trx?: Knex.Transaction): Promise<void>;
}
