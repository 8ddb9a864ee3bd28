import type { Knex } from 'knex';
import type { KeyRing } from '../../crypto/key-ring';
import type { RevocationReason } from '../../services/zoom-connection/grant-revocations';
import { reencryptRows } from '../reencrypt-rows';

/** How a revocation ended: `forgotten` when another connection still held that Zoom user. */
export type RevocationOutcome = 'revoked' | 'already_dead' | 'forgotten' | 'withdrawn';

export interface NewRevocation {
  id: string;
  accessToken: string;
  refreshToken: string;
  accessExpiresAt?: Date;
  zoomUserId: string | null;
  userId: string | null;
  reason: RevocationReason;
  notBefore?: Date;
  nextAttemptAt: Date;
}

/** A pending revocation with its tokens in plaintext, for the processor only. */
export interface PendingRevocation {
  id: string;
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: Date | null;
  zoomUserId: string | null;
  userId: string | null;
  reason: RevocationReason;
  attempts: number;
}

/** What operators see: never a token. */
export interface RevocationSummary {
  id: string;
  reason: RevocationReason;
  userId: string | null;
  zoomUserId: string | null;
  attempts: number;
  notBefore: Date | null;
  nextAttemptAt: Date;
  lastError: string | null;
  outcome: RevocationOutcome | null;
  doneAt: Date | null;
}

const TABLE = 'zoom_grant_revocations';
const SUMMARY_COLUMNS = [
  'id',
  'reason',
  'user_id',
  'zoom_user_id',
  'attempts',
  'not_before',
  'next_attempt_at',
  'last_error',
  'outcome',
  'done_at',
];
const dateOrNull = (value: unknown): Date | null => (value == null ? null : new Date(value as string));

/**
 * `zoom_grant_revocations`: the dropped grants waiting for their revoke at Zoom. Tokens are
 * encrypted, bound to their column and to the revocation's id, and erased when it is done.
 */
export function createGrantRevocationsStore(db: Knex, keyRing: KeyRing) {
  const ref = (column: string, id: string) => ({ table: TABLE, column, row: id });
  const pending = (trx: Knex, id: string) => trx(TABLE).where({ id }).whereNull('outcome');

  return {
    async insert(r: NewRevocation, trx: Knex = db): Promise<void> {
      await trx(TABLE).insert({
        id: r.id,
        access_token: keyRing.encrypt(r.accessToken, ref('access_token', r.id)),
        refresh_token: keyRing.encrypt(r.refreshToken, ref('refresh_token', r.id)),
        access_expires_at: r.accessExpiresAt ?? null,
        zoom_user_id: r.zoomUserId,
        user_id: r.userId,
        reason: r.reason,
        not_before: r.notBefore ?? null,
        next_attempt_at: r.nextAttemptAt,
      });
    },

    /**
     * Whether another drop of that Zoom user is deferred past `now`: a pending grant waiting for
     * its confirmation, which a revoke would cut too.
     */
    async pendingGrantOf(zoomUserId: string, now: Date, exceptId: string, trx: Knex = db): Promise<boolean> {
      const row = await trx(TABLE)
        .where({ zoom_user_id: zoomUserId })
        .whereNull('outcome')
        .whereNot({ id: exceptId })
        .where('not_before', '>', now)
        .first('id');
      return row !== undefined;
    },

    /** Pending ones due at `now`, the longest waiting first. */
    async listDueIds(now: Date, limit: number): Promise<string[]> {
      return db(TABLE)
        .whereNull('outcome')
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit)
        .pluck('id');
    },

    /** The attempts made so far, if the revocation is still pending and due at `now`. */
    async dueAttempts(id: string, now: Date): Promise<number | undefined> {
      const raw = await pending(db, id).where('next_attempt_at', '<=', now).first('attempts');
      return raw?.attempts;
    },

    /** The pending revocation with its tokens (throws a DecryptionError for an unreadable one). */
    async findPending(id: string): Promise<PendingRevocation | undefined> {
      const raw = await pending(db, id).first();
      if (!raw) return undefined;
      return {
        id,
        accessToken: keyRing.decrypt(raw.access_token, ref('access_token', id)),
        refreshToken: keyRing.decrypt(raw.refresh_token, ref('refresh_token', id)),
        accessExpiresAt: dateOrNull(raw.access_expires_at),
        zoomUserId: raw.zoom_user_id ?? null,
        userId: raw.user_id ?? null,
        reason: raw.reason,
        attempts: raw.attempts,
      };
    },

    /** Counts the attempt and books the next one before any call, so a crash mid-attempt waits its turn. */
    async startAttempt(id: string, attempts: number, nextAttemptAt: Date): Promise<void> {
      await pending(db, id).update({ attempts, next_attempt_at: nextAttemptAt });
    },

    async recordFailure(id: string, error: string, retryNotBefore?: Date): Promise<void> {
      const update: Record<string, unknown> = { last_error: error.slice(0, 500) };
      if (retryNotBefore)
        update.next_attempt_at = db.raw('GREATEST(next_attempt_at, ?::timestamptz)', [retryNotBefore]);
      await pending(db, id).update(update);
    },

    async setZoomUser(id: string, zoomUserId: string): Promise<void> {
      await pending(db, id).update({ zoom_user_id: zoomUserId });
    },

    /** Zoom rotated the refresh token: the new pair is committed before it is used. */
    async saveRefreshedTokens(
      id: string,
      tokens: { accessToken: string; refreshToken: string; accessExpiresAt: Date },
    ): Promise<void> {
      await pending(db, id).update({
        access_token: keyRing.encrypt(tokens.accessToken, ref('access_token', id)),
        refresh_token: keyRing.encrypt(tokens.refreshToken, ref('refresh_token', id)),
        access_expires_at: tokens.accessExpiresAt,
      });
    },

    /**
     * Withdraws a revocation no attempt has touched yet (an attempt may have rotated its tokens);
     * in `trx`, the row stays locked until it commits. False when it had ended or been attempted.
     */
    async withdrawUntouched(id: string, now: Date, trx: Knex = db): Promise<boolean> {
      const updated = await pending(trx, id)
        .where({ attempts: 0 })
        .update({ outcome: 'withdrawn', done_at: now, access_token: null, refresh_token: null });
      return updated === 1;
    },

    /** Locks the row until `trx` ends; false when it is no longer pending (withdrawn meanwhile). */
    async lockPending(id: string, trx: Knex.Transaction): Promise<boolean> {
      return (await pending(trx, id).forUpdate().first('id')) !== undefined;
    },

    /** Ends a pending revocation and erases its tokens; false when it had ended already. */
    async finish(id: string, outcome: RevocationOutcome, now: Date, trx: Knex = db): Promise<boolean> {
      const updated = await pending(trx, id).update({
        outcome,
        done_at: now,
        access_token: null,
        refresh_token: null,
      });
      return updated === 1;
    },

    async find(id: string, trx: Knex = db): Promise<RevocationSummary | undefined> {
      const raw = await trx(TABLE).where({ id }).first(SUMMARY_COLUMNS);
      return raw ? toSummary(raw) : undefined;
    },

    /** For `npm run ops -- revocations`: the pending ones, the next due first. */
    async listPending(limit: number): Promise<RevocationSummary[]> {
      const rows = await db(TABLE)
        .whereNull('outcome')
        .orderBy('next_attempt_at')
        .limit(limit)
        .select(SUMMARY_COLUMNS);
      return rows.map(toSummary);
    },

    async reencryptAll(): Promise<number> {
      return reencryptRows(db, keyRing, {
        table: TABLE,
        ownerColumn: 'id',
        columns: ['access_token', 'refresh_token'],
      });
    },
  };
}
export type GrantRevocationsStore = ReturnType<typeof createGrantRevocationsStore>;

function toSummary(raw: Record<string, unknown>): RevocationSummary {
  return {
    id: raw.id as string,
    reason: raw.reason as RevocationReason,
    userId: (raw.user_id as string | null) ?? null,
    zoomUserId: (raw.zoom_user_id as string | null) ?? null,
    attempts: raw.attempts as number,
    notBefore: dateOrNull(raw.not_before),
    nextAttemptAt: new Date(raw.next_attempt_at as string),
    lastError: (raw.last_error as string | null) ?? null,
    outcome: (raw.outcome as RevocationOutcome | null) ?? null,
    doneAt: dateOrNull(raw.done_at),
  };
}
