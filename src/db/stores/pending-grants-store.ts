import type { Knex } from 'knex';
import type { KeyRing } from '../../crypto/key-ring';
import { reencryptRows } from '../reencrypt-rows';

/**
 * `zoom_pending_grants`: a grant Zoom gave back, attached to nobody until it is confirmed. Its
 * tokens are encrypted, bound to the row by the hash of its one-time code (the code itself is
 * never stored).
 */
export interface NewPendingGrant {
  codeHash: string;
  sessionId: string;
  zoomUserId: string;
  email: string | null;
  code: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenExpiresAt: Date;
  revocationId: string;
  expiresAt: Date;
}

export interface PendingGrant extends NewPendingGrant {
  id: string;
  finishedAt: Date | null;
}

export type GrantOutcome = 'confirmed' | 'account_mismatch' | 'reused_reconnect_link' | 'cancelled';

const TABLE = 'zoom_pending_grants';
const SECRET_COLUMNS = ['code', 'access_token', 'refresh_token'] as const;

export function createPendingGrantsStore(db: Knex, keyRing: KeyRing) {
  const ref = (column: string, codeHash: string) => ({ table: TABLE, column, row: codeHash });

  function toGrant(raw: Record<string, unknown>): PendingGrant {
    const codeHash = raw.code_hash as string;
    // A finished grant's secrets were emptied (finish): there is nothing left to decrypt.
    const secret = (column: string) =>
      raw.finished_at ? '' : keyRing.decrypt(raw[column] as string, ref(column, codeHash));
    return {
      id: String(raw.id),
      codeHash,
      sessionId: String(raw.session_id),
      zoomUserId: raw.zoom_user_id as string,
      email: (raw.email as string | null) ?? null,
      code: secret('code'),
      accessToken: secret('access_token'),
      refreshToken: secret('refresh_token'),
      expiresIn: raw.expires_in as number,
      tokenExpiresAt: new Date(raw.token_expires_at as string),
      revocationId: raw.revocation_id as string,
      expiresAt: new Date(raw.expires_at as string),
      finishedAt: raw.finished_at ? new Date(raw.finished_at as string) : null,
    };
  }

  return {
    async create(g: NewPendingGrant, trx: Knex = db): Promise<void> {
      await trx(TABLE).insert({
        code_hash: g.codeHash,
        session_id: g.sessionId,
        zoom_user_id: g.zoomUserId,
        email: g.email,
        code: keyRing.encrypt(g.code, ref('code', g.codeHash)),
        access_token: keyRing.encrypt(g.accessToken, ref('access_token', g.codeHash)),
        refresh_token: keyRing.encrypt(g.refreshToken, ref('refresh_token', g.codeHash)),
        expires_in: g.expiresIn,
        token_expires_at: g.tokenExpiresAt,
        revocation_id: g.revocationId,
        expires_at: g.expiresAt,
      });
    },

    /** The grant under its row lock: two confirmations of one code are decided one after the other. */
    async lockByCodeHash(codeHash: string, trx: Knex.Transaction): Promise<PendingGrant | undefined> {
      const raw = await trx(TABLE).where({ code_hash: codeHash }).forUpdate().first();
      return raw ? toGrant(raw) : undefined;
    },

    /** Ends the grant here: its tokens now live in the connection, or with their revocation. */
    async finish(id: string, outcome: GrantOutcome, now: Date, trx: Knex): Promise<void> {
      const emptied = Object.fromEntries(SECRET_COLUMNS.map((column) => [column, '']));
      await trx(TABLE)
        .where({ id })
        .update({ ...emptied, finished_at: now, outcome });
    },

    async reencryptAll(): Promise<number> {
      return reencryptRows(db, keyRing, { table: TABLE, ownerColumn: 'code_hash', columns: SECRET_COLUMNS });
    },
  };
}
export type PendingGrantsStore = ReturnType<typeof createPendingGrantsStore>;
