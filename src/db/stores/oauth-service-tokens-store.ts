import type { Knex } from 'knex';
import { DecryptionError, type KeyRing } from '../../crypto/key-ring';
import { reencryptRows } from '../reencrypt-rows';
import { sqlDate } from '../sql-date';

/**
 * `oauth_service_tokens`: one Zoom connection per tutor. Tokens and the auth code are encrypted
 * here, bound to their column and to the tutor (user_id); callers only ever see plaintext
 * inside the process, never ciphertext, and nothing leaves in logs.
 */
export interface ZoomTokenRow {
  id: string;
  uid: string;
  userId: string;
  email: string | null;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  expiresAt: Date;
  reconnectionAttempts: number;
  lastAttemptCountedOn: string | null;
  version: number;
}

/**
 * A row the sweep listed but cannot decrypt (its key was dropped before `ops reencrypt` finished,
 * or the value was moved): only its ids and why, never the stored value.
 */
export interface UnreadableZoomToken {
  id: string;
  userId: string;
  unreadable: string;
}

export type ListedZoomToken = ZoomTokenRow | UnreadableZoomToken;

export const isUnreadable = (token: ListedZoomToken): token is UnreadableZoomToken => 'unreadable' in token;

export interface NewZoomConnection {
  userId: string;
  uid: string;
  email: string | null;
  code: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  expiresAt: Date;
}

const TABLE = 'oauth_service_tokens';
const zoomProviderId = (db: Knex) => db('oauth_service_providers').select('id').where({ name: 'zoom' });

export function createTokensStore(db: Knex, keyRing: KeyRing) {
  const ref = (column: string, userId: string) => ({ table: TABLE, column, row: userId });

  function toRow(raw: Record<string, unknown>): ZoomTokenRow {
    const userId = raw.user_id as string;
    return {
      id: String(raw.id),
      uid: raw.uid as string,
      userId,
      email: (raw.email as string | null) ?? null,
      accessToken: keyRing.decrypt(raw.access_token as string, ref('access_token', userId)),
      refreshToken: keyRing.decrypt(raw.refresh_token as string, ref('refresh_token', userId)),
      expiresIn: raw.expires_in as number,
      expiresAt: new Date(raw.expires_at as string),
      reconnectionAttempts: raw.reconnection_attempts as number,
      lastAttemptCountedOn: sqlDate(raw.last_attempt_counted_on),
      version: raw.version as number,
    };
  }

  /** For listings only: one bad row must not hide the others. Reads of one row stay strict (they throw). */
  function toListed(raw: Record<string, unknown>): ListedZoomToken {
    try {
      return toRow(raw);
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      return { id: String(raw.id), userId: raw.user_id as string, unreadable: error.message };
    }
  }

  const zoomRows = (trx: Knex) => trx(TABLE).whereIn('oauth_service_provider_id', zoomProviderId(trx));
  const grantsOf = (trx: Knex, uid: string, connectedBefore?: Date) => {
    const query = zoomRows(trx).where({ uid });
    return connectedBefore ? query.where('connected_at', '<=', connectedBefore) : query;
  };

  return {
    async findByUser(userId: string, trx: Knex = db): Promise<ZoomTokenRow | undefined> {
      const raw = await zoomRows(trx).where({ user_id: userId }).first();
      return raw ? toRow(raw) : undefined;
    },

    /** isZoomConnected without decrypting anything. */
    async existsForUser(userId: string): Promise<boolean> {
      return (await zoomRows(db).where({ user_id: userId }).first(db.raw('1'))) !== undefined;
    },

    async findById(id: string, trx: Knex = db): Promise<ZoomTokenRow | undefined> {
      const raw = await zoomRows(trx).where({ id }).first();
      return raw ? toRow(raw) : undefined;
    },

    /** Locks the tutor's row until the transaction ends: one refresh at a time, across processes. */
    async lockByUser(userId: string, trx: Knex.Transaction): Promise<ZoomTokenRow | undefined> {
      const raw = await zoomRows(trx).where({ user_id: userId }).forUpdate().first();
      return raw ? toRow(raw) : undefined;
    },

    /** Tutors holding a grant of that Zoom user; with `connectedBefore`, only grants made before it. */
    async findUserIdsByZoomUid(uid: string, connectedBefore?: Date, trx: Knex = db): Promise<string[]> {
      return grantsOf(trx, uid, connectedBefore).pluck('user_id');
    },

    /**
     * Deletes the tutor's grant of that Zoom user if made before `connectedBefore` (never a newer
     * one), and answers it (listed: an unreadable one is still deleted), for its revocation.
     */
    async takeGrant(
      userId: string,
      uid: string,
      connectedBefore: Date | undefined,
      trx: Knex,
    ): Promise<ListedZoomToken | undefined> {
      const [raw] = await grantsOf(trx, uid, connectedBefore).where({ user_id: userId }).delete('*');
      return raw ? toListed(raw) : undefined;
    },

    /** Step 5: upsert with every seed column; a reconnect replaces the row and resets the attempts. */
    async saveConnection(c: NewZoomConnection, trx: Knex = db): Promise<void> {
      const values = {
        uid: c.uid,
        email: c.email,
        code: keyRing.encrypt(c.code, ref('code', c.userId)),
        access_token: keyRing.encrypt(c.accessToken, ref('access_token', c.userId)),
        refresh_token: keyRing.encrypt(c.refreshToken, ref('refresh_token', c.userId)),
        expires_in: c.expiresIn,
        expires_at: c.expiresAt,
        reconnection_attempts: 0,
        last_attempt_counted_on: null,
        connected_at: trx.fn.now(), // a new grant; refreshes never touch it
      };
      await trx(TABLE)
        .insert({ ...values, user_id: c.userId, oauth_service_provider_id: zoomProviderId(trx) })
        .onConflict(['user_id', 'oauth_service_provider_id'])
        .merge({ ...values, version: trx.raw(`${TABLE}.version + 1`), updated_at: trx.fn.now() });
    },

    /** Stores rotated tokens; the caller holds the row lock. */
    async saveRefreshedTokens(
      userId: string,
      tokens: { accessToken: string; refreshToken: string; expiresIn: number; expiresAt: Date },
      trx: Knex,
    ): Promise<void> {
      await zoomRows(trx)
        .where({ user_id: userId })
        .update({
          access_token: keyRing.encrypt(tokens.accessToken, ref('access_token', userId)),
          refresh_token: keyRing.encrypt(tokens.refreshToken, ref('refresh_token', userId)),
          expires_in: tokens.expiresIn,
          expires_at: tokens.expiresAt,
          version: trx.raw('version + 1'),
          updated_at: trx.fn.now(),
        });
    },

    /** Deletes the tutor's connection and answers it (the latest tokens, after any refresh holding it). */
    async takeByUser(userId: string, trx: Knex = db): Promise<ListedZoomToken | undefined> {
      const [raw] = await zoomRows(trx).where({ user_id: userId }).delete('*');
      return raw ? toListed(raw) : undefined;
    },

    /** Deletes only the row that was validated (id + version), never a reconnection made since. */
    async deleteIfUnchanged(id: string, version: number, trx: Knex = db): Promise<boolean> {
      return (await zoomRows(trx).where({ id, version }).delete()) === 1;
    },

    /**
     * Keyset paging for the daily sweep: one page of whole rows in one query, never the whole table.
     * A row that cannot be decrypted is listed as unreadable, in its place, instead of failing the page.
     */
    async listZoomTokens(afterId: string | null, limit: number): Promise<ListedZoomToken[]> {
      const query = zoomRows(db).orderBy('id').limit(limit);
      if (afterId) query.where('id', '>', afterId);
      return (await query).map(toListed);
    },

    async countZoomTokens(): Promise<number> {
      const [row] = await zoomRows(db).count<{ count: string }[]>('id as count');
      return Number(row?.count ?? 0);
    },

    /** Step 2's good branch, in bulk. */
    async resetReconnectionAttempts(ids: string[]): Promise<number> {
      if (ids.length === 0) return 0;
      return zoomRows(db)
        .whereIn('id', ids)
        .where('reconnection_attempts', '>', 0)
        .update({ reconnection_attempts: 0, updated_at: db.fn.now() });
    },

    /** For `npm run ops -- reencrypt`: rewrites values written with an old key, row by row under its lock. */
    async reencryptAll(): Promise<number> {
      return reencryptRows(db, keyRing, {
        table: TABLE,
        ownerColumn: 'user_id',
        columns: ['code', 'access_token', 'refresh_token'],
      });
    },
  };
}
export type TokensStore = ReturnType<typeof createTokensStore>;
