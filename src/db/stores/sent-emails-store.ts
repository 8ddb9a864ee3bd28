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

    /** SendGrid accepted the message: by its answer, or by an event carrying our key. */
    async markSent(
      idempotencyKey: string,
      confirmation: { messageId: string | null; by: 'answer' | 'event' },
    ): Promise<boolean> {
      const updated = await byKey(idempotencyKey).whereNot({ status: 'sent' }).update({
        status: 'sent',
        message_id: confirmation.messageId,
        confirmed_by: confirmation.by,
        sent_at: db.fn.now(),
      });
      return updated > 0;
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
