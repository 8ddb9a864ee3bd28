import type { Knex } from 'knex';
import { randomUUID } from 'node:crypto';

/**
 * - sending: an attempt holds the row and is talking to SendGrid (or crashed doing so);
 * - unconfirmed: the attempt ended without an answer, so SendGrid may have accepted it;
 * - sent: SendGrid accepted it, by its 202 or by an event for the message.
 */
export type SendState = 'sending' | 'unconfirmed' | 'sent';

/** What a row records of the email: written by the claim, or by a 202 that finds no row. */
export interface LedgerKey {
  idempotencyKey: string;
  template: string;
  recipient: string;
}

export interface LedgerEntry {
  status: SendState;
  /** Since the last attempt, by the database's clock (the one that dated it). */
  msSinceAttempt: number;
}

/**
 * The ledger of emails: one row per idempotency key. The row is also the lock: an attempt sends
 * only after it has claimed the row, so concurrent attempts never both send. Each claim carries
 * its own attempt id, so that an attempt's later writes leave alone a claim taken over since.
 */
export function createSentEmailsStore(db: Knex) {
  const byKey = (idempotencyKey: string) => db('sent_emails').where({ idempotency_key: idempotencyKey });
  /** The row while the attempt's own claim is on it (not taken over, not confirmed since). */
  const heldBy = (idempotencyKey: string, attemptId: string) =>
    byKey(idempotencyKey).where({ status: 'sending', attempt_id: attemptId });

  return {
    /**
     * Claims the key for an attempt: a new row, an unconfirmed one older than `unconfirmedAfterMs`,
     * or a 'sending' one older than `abandonedAfterMs` (its attempt died). Returns the attempt's
     * id, which its later writes name; undefined when the key is taken.
     */
    async claim(
      entry: LedgerKey,
      ages: { unconfirmedAfterMs: number; abandonedAfterMs: number },
    ): Promise<string | undefined> {
      const attemptId = randomUUID();
      const { rows } = await db.raw<{ rows: unknown[] }>(
        `INSERT INTO sent_emails (idempotency_key, template, recipient, status, attempted_at, attempt_id)
         VALUES (?, ?, ?, 'sending', now(), ?)
         ON CONFLICT (idempotency_key) DO UPDATE
           SET status = 'sending', attempted_at = now(), attempt_id = EXCLUDED.attempt_id
           WHERE (sent_emails.status = 'unconfirmed'
                  AND sent_emails.attempted_at <= now() - ? * interval '1 millisecond')
              OR (sent_emails.status = 'sending'
                  AND sent_emails.attempted_at <= now() - ? * interval '1 millisecond')
         RETURNING id`,
        [
          entry.idempotencyKey,
          entry.template,
          entry.recipient,
          attemptId,
          ages.unconfirmedAfterMs,
          ages.abandonedAfterMs,
        ],
      );
      return rows.length > 0 ? attemptId : undefined;
    },

    async find(idempotencyKey: string): Promise<LedgerEntry | undefined> {
      const row = await byKey(idempotencyKey).first<{ status: SendState; ms: string } | undefined>(
        'status',
        db.raw('extract(epoch from now() - attempted_at) * 1000 as ms'),
      );
      return row && { status: row.status, msSinceAttempt: Number(row.ms) };
    },

    /**
     * SendGrid's 202 for an attempt. Unlike the writes below it names no attempt: a 202 means the
     * email WAS sent, even when the attempt outlived its claim, so the row turns 'sent' whoever
     * holds it (and is written again if the newer holder forgot it), or a third attempt would send.
     * It never rewrites a 'sent' row: the first confirmation (answer or event) keeps its message
     * id. A newer holder's own writes then find the row 'sent' and leave it so.
     */
    async markSent(entry: LedgerKey, messageId: string | null): Promise<boolean> {
      const { rows } = await db.raw<{ rows: unknown[] }>(
        `INSERT INTO sent_emails (idempotency_key, template, recipient, status, message_id, confirmed_by, sent_at)
         VALUES (?, ?, ?, 'sent', ?, 'answer', now())
         ON CONFLICT (idempotency_key) DO UPDATE
           SET status = 'sent', message_id = EXCLUDED.message_id, confirmed_by = 'answer', sent_at = now()
           WHERE sent_emails.status <> 'sent'
         RETURNING id`,
        [entry.idempotencyKey, entry.template, entry.recipient, messageId],
      );
      return rows.length > 0;
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

    /**
     * The attempt ended without SendGrid's answer: it may or may not have been accepted. Only
     * while the row is still this attempt's claim: a newer holder is sending, and its own outcome
     * decides (it claimed only after waiting out the event grace for this attempt).
     */
    async markUnconfirmed(idempotencyKey: string, attemptId: string): Promise<void> {
      await heldBy(idempotencyKey, attemptId).update({ status: 'unconfirmed' });
    },

    /**
     * SendGrid refused the attempt for sure (it answered, or was never reached): forget it. Only
     * while the row is still this attempt's claim, or a newer holder's claim would be freed.
     */
    async forgetAttempt(idempotencyKey: string, attemptId: string): Promise<void> {
      await heldBy(idempotencyKey, attemptId).delete();
    },

    /** Emails under keys starting with `prefix` (and ending with `suffix`) that were, or may have been, sent. */
    async countByKeyPrefix(prefix: string, suffix = ''): Promise<number> {
      const literal = (text: string) => text.replace(/[\\%_]/g, '\\$&');
      const [row] = await db('sent_emails')
        .where('idempotency_key', 'like', `${literal(prefix)}%${literal(suffix)}`)
        .count<{ count: string }[]>('id as count');
      return Number(row?.count ?? 0);
    },
  };
}
export type SentEmailsStore = ReturnType<typeof createSentEmailsStore>;
