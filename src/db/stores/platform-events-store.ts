import type { Knex } from 'knex';

export interface NewPlatformEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  occurredAt: Date;
  /** Written once per key: a second insert with it is ignored. */
  dedupeKey?: string;
  deliverUntil: Date;
}

export interface PlatformEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  occurredAt: Date;
  attempts: number;
  nextAttemptAt: Date;
  deliverUntil: Date;
  lastError: string | null;
  deliveredAt: Date | null;
  givenUpAt: Date | null;
  createdAt: Date;
}

const TABLE = 'platform_events';
const dateOrNull = (value: unknown): Date | null => (value == null ? null : new Date(value as string));

/** `platform_events`: the outbox of signed events to the platform (see 012_platform_events.ts). */
export function createPlatformEventsStore(db: Knex) {
  const undelivered = (trx: Knex) => trx(TABLE).whereNull('delivered_at').whereNull('given_up_at');

  return {
    /** In the caller's transaction; false when an event with its dedupe key exists already. */
    async insert(event: NewPlatformEvent, trx: Knex = db): Promise<boolean> {
      const rows = await trx(TABLE)
        .insert({
          id: event.id,
          type: event.type,
          data: JSON.stringify(event.data),
          occurred_at: event.occurredAt,
          dedupe_key: event.dedupeKey ?? null,
          next_attempt_at: event.occurredAt,
          deliver_until: event.deliverUntil,
        })
        .onConflict('dedupe_key')
        .ignore()
        .returning('id');
      return rows.length === 1;
    },

    /** Undelivered ones due at `now`, the longest waiting first. */
    async listDueIds(now: Date, limit: number): Promise<string[]> {
      return undelivered(db)
        .where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at')
        .limit(limit)
        .pluck('id');
    },

    /**
     * Claims one attempt, if the event is undelivered and due: counts it and books the next one
     * before any call, so a crash mid-attempt waits its turn and two passes never both send.
     */
    async claim(
      id: string,
      now: Date,
      retryAt: (attempts: number) => Date,
    ): Promise<PlatformEvent | undefined> {
      const [raw] = await db.transaction(async (trx) => {
        const row = await undelivered(trx)
          .where({ id })
          .where('next_attempt_at', '<=', now)
          .forUpdate()
          .first();
        if (!row) return [];
        const attempts = row.attempts + 1;
        return undelivered(trx)
          .where({ id })
          .update({ attempts, next_attempt_at: retryAt(attempts) })
          .returning('*');
      });
      return raw ? toEvent(raw) : undefined;
    },

    async markDelivered(id: string, now: Date): Promise<void> {
      await undelivered(db).where({ id }).update({ delivered_at: now, last_error: null });
    },

    /** A failed attempt: its error kept; the next one no sooner than `retryNotBefore` when given. */
    async recordFailure(id: string, error: string, retryNotBefore?: Date): Promise<void> {
      const update: Record<string, unknown> = { last_error: error.slice(0, 500) };
      if (retryNotBefore)
        update.next_attempt_at = db.raw('GREATEST(next_attempt_at, ?::timestamptz)', [retryNotBefore]);
      await undelivered(db).where({ id }).update(update);
    },

    async giveUp(id: string, error: string, now: Date): Promise<void> {
      await undelivered(db)
        .where({ id })
        .update({ given_up_at: now, last_error: error.slice(0, 500) });
    },

    /** Delivered or given up alike: delivered again from now, for another window. */
    async redeliver(id: string, now: Date, deliverUntil: Date): Promise<boolean> {
      const updated = await db(TABLE).where({ id }).update({
        delivered_at: null,
        given_up_at: null,
        attempts: 0,
        next_attempt_at: now,
        deliver_until: deliverUntil,
      });
      return updated === 1;
    },

    async find(id: string): Promise<PlatformEvent | undefined> {
      const raw = await db(TABLE).where({ id }).first();
      return raw ? toEvent(raw) : undefined;
    },

    /** For `npm run ops -- events`: the undelivered ones (given up included), the oldest first. */
    async listUndelivered(limit: number): Promise<PlatformEvent[]> {
      const rows = await db(TABLE).whereNull('delivered_at').orderBy('created_at').limit(limit);
      return rows.map(toEvent);
    },
  };
}
export type PlatformEventsStore = ReturnType<typeof createPlatformEventsStore>;

function toEvent(raw: Record<string, unknown>): PlatformEvent {
  return {
    id: raw.id as string,
    type: raw.type as string,
    data: raw.data as Record<string, unknown>,
    occurredAt: new Date(raw.occurred_at as string),
    attempts: raw.attempts as number,
    nextAttemptAt: new Date(raw.next_attempt_at as string),
    deliverUntil: new Date(raw.deliver_until as string),
    lastError: (raw.last_error as string | null) ?? null,
    deliveredAt: dateOrNull(raw.delivered_at),
    givenUpAt: dateOrNull(raw.given_up_at),
    createdAt: new Date(raw.created_at as string),
  };
}
