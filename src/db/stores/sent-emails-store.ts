import type { Knex } from 'knex';

/**
 * - sending: an attempt holds the row and is talking to SendGrid (or crashed doing so);
 * - unconfirmed: the attempt ended without an answer, so SendGrid may have accepted it;
 * - sent: SendGrid accepted it, by its 202 or by an event for the message.
 */
export type SendState = 'sending' | 'unconfirmed' | 'sent';

export interface LedgerEntry {
  status: SendState;
  /** Since the last attempt, by the database's clock (the one that dated it). */
  msSinceAttempt: number;
}

/**
 * The ledger of emails: one row per idempotency key. The row is also the lock: an attempt sends
 * only after it has claimed the row, so concurrent attempts never both send.
 */
export function createSentEmailsStore(db: Knex) {
  const byKey = (idempotencyKey: string) => db('sent_emails').where({ idempotency_key: idempotencyKey });

  return {
    /**
     * Claims the key for an attempt: a new row, an unconfirmed one older than `unconfirmedAfterMs`,
     * or a 'sending' one older than `abandonedAfterMs` (its attempt died). False when it is taken.
     */
    async claim(
      entry: { idempotencyKey: string; template: string; recipient: string },
      ages: { unconfirmedAfterMs: number; abandonedAfterMs: number },
    ): Promise<boolean> {
      const { rows } = await db.raw<{ rows: unknown[] }>(
        `INSERT INTO sent_emails (idempotency_key, template, recipient, status, attempted_at)
         VALUES (?, ?, ?, 'sending', now())
         ON CONFLICT (idempotency_key) DO UPDATE SET status = 'sending', attempted_at = now()
           WHERE (sent_emails.status = 'unconfirmed'
                  AND sent_emails.attempted_at <= now() - ? * interval '1 millisecond')
              OR (sent_emails.status = 'sending'
                  AND sent_emails.attempted_at <= now() - ? * interval '1 millisecond')
         RETURNING id`,
        [
          entry.idempotencyKey,
          entry.template,
          entry.recipient,
          ages.unconfirmedAfterMs,
          ages.abandonedAfterMs,
        ],
      );
      return rows.length > 0;
    },

    async find(idempotencyKey: string): Promise<LedgerEntry | undefined> {
      const row = await byKey(idempotencyKey).first<{ status: SendState; ms: string } | undefined>(
        'status',
        db.raw('extract(epoch from now() - attempted_at) * 1000 as ms'),
      );
      return row && { status: row.status, msSinceAttempt: Number(row.ms) };
    },

    /** SendGrid's 202 for our attempt. */
    async markSent(idempotencyKey: string, messageId: string | null): Promise<boolean> {
      const updated = await byKey(idempotencyKey)
        .whereNot({ status: 'sent' })
        .update({ status: 'sent', message_id: messageId, confirmed_by: 'answer', sent_at: db.fn.now() });
      return updated > 0;
    },

    /** SendGrid's events for messages we sent, in one statement; how many rows they confirmed. */
    async markSentByEvents(
      messages: Array<{ idempotencyKey: string; messageId: string | null }>,
    ): Promise<number> {
      if (messages.length === 0) return 0;
      const result = await db.raw<{ rowCount: number }>(
        `UPDATE sent_emails AS s
            SET status = 'sent', message_id = v.message_id, confirmed_by = 'event', sent_at = now()
           FROM unnest(?::text[], ?::text[]) AS v(idempotency_key, message_id)
          WHERE s.idempotency_key = v.idempotency_key AND s.status <> 'sent'`,
        [messages.map((m) => m.idempotencyKey), messages.map((m) => m.messageId) as string[]], // nulls allowed
      );
      return result.rowCount;
    },

    /** The attempt ended without SendGrid's answer: it may or may not have been accepted. */
    async markUnconfirmed(idempotencyKey: string): Promise<void> {
      await byKey(idempotencyKey).where({ status: 'sending' }).update({ status: 'unconfirmed' });
    },

    /** SendGrid refused the attempt for sure (it answered, or was never reached): forget it. */
    async forgetAttempt(idempotencyKey: string): Promise<void> {
      await byKey(idempotencyKey).where({ status: 'sending' }).delete();
    },

    /** Emails under keys starting with `prefix` that were, or may have been, sent. */
    async countByKeyPrefix(prefix: string): Promise<number> {
      const [row] = await db('sent_emails')
        .where('idempotency_key', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`)
        .count<{ count: string }[]>('id as count');
      return Number(row?.count ?? 0);
    },
  };
}
export type SentEmailsStore = ReturnType<typeof createSentEmailsStore>;
