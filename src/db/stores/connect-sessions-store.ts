import type { Knex } from 'knex';

/** `zoom_connect_sessions`: one tutor's connection attempt, opened once in a browser. */
export interface ConnectSession {
  id: string;
  userId: string;
  reconnectNonce: string | null;
  reconnectExpiresAt: Date | null;
  expiresAt: Date;
}

export interface NewConnectSession {
  idHash: string;
  userId: string;
  reconnect?: { nonce: string; expiresAt: Date };
  expiresAt: Date;
  /** A reconnect link's session is opened as it is made: the click is the opening. */
  openedAt?: Date;
}

export type OpenedSession =
  { ok: true; session: ConnectSession } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

const TABLE = 'zoom_connect_sessions';

function toSession(raw: Record<string, unknown>): ConnectSession {
  return {
    id: String(raw.id),
    userId: raw.user_id as string,
    reconnectNonce: (raw.reconnect_nonce as string | null) ?? null,
    reconnectExpiresAt: raw.reconnect_expires_at ? new Date(raw.reconnect_expires_at as string) : null,
    expiresAt: new Date(raw.expires_at as string),
  };
}

export function createConnectSessionsStore(db: Knex) {
  return {
    async create(s: NewConnectSession): Promise<ConnectSession> {
      const [raw] = await db(TABLE)
        .insert({
          id_hash: s.idHash,
          user_id: s.userId,
          reconnect_nonce: s.reconnect?.nonce ?? null,
          reconnect_expires_at: s.reconnect?.expiresAt ?? null,
          expires_at: s.expiresAt,
          opened_at: s.openedAt ?? null,
        })
        .returning('*');
      return toSession(raw);
    },

    /** Marks the session opened, once: the one statement decides between two racing openings. */
    async open(idHash: string, now: Date): Promise<OpenedSession> {
      const [opened] = await db(TABLE)
        .where({ id_hash: idHash })
        .whereNull('opened_at')
        .where('expires_at', '>', now)
        .update({ opened_at: now })
        .returning('*');
      if (opened) return { ok: true, session: toSession(opened) };
      const raw = await db(TABLE).where({ id_hash: idHash }).first('opened_at');
      if (!raw) return { ok: false, reason: 'unknown' };
      return { ok: false, reason: raw.opened_at ? 'used' : 'expired' };
    },

    async findById(id: string, trx: Knex = db): Promise<ConnectSession | undefined> {
      const raw = await trx(TABLE).where({ id }).first();
      return raw ? toSession(raw) : undefined;
    },

    /** Sessions (and, by cascade, their pending grants) expired before `before`. */
    async pruneExpired(before: Date): Promise<number> {
      return db(TABLE).where('expires_at', '<', before).delete();
    },
  };
}
export type ConnectSessionsStore = ReturnType<typeof createConnectSessionsStore>;
