import type { Knex } from 'knex';

export type SendState = 'sending' | 'sent';

export interface LedgerEntry {
  status: SendState;
  /** Since the last attempt, by the database's clock (the one that dated it). */
  msSinceAttempt: number;
}

/**
 * The ledger of emails: one row per idempotency key. A row is 'sending' from just before the
 * send until SendGrid's answer (or its event for the message) confirms it; then 'sent', and
 * every retry skips it.
 */
export function createSentEmailsStore(db: Knex) {
  const byKey = (idempotencyKey: string) => db('sent_emails').where({ idempotency_key: idempotencyKey });

  return {
    async find(idempotencyKey: string): Promise<LedgerEntry | undefined> {
      const row = await byKey(idempotencyKey).first<{ status: SendState; ms: string } | undefined>(
        'status',
        db.raw('extract(epoch from now() - attempted_at) * 1000 as ms'),
      );
      return row && { status: row.status, msSinceAttempt: Number(row.ms) };
    },

    /** Records an attempt about to be made; a confirmed row is never reopened. */
    async markSending(entry: { idempotencyKey: string; template: string; recipient: string }): Promise<void> {
      await db('sent_emails')
        .insert({
          idempotency_key: entry.idempotencyKey,
          template: entry.template,
          recipient: entry.recipient,
          status: 'sending',
          attempted_at: db.fn.now(),
        })
        .onConflict('idempotency_key')
        .merge({ attempted_at: db.fn.now() })
        .where('sent_emails.status', 'sending');
    },

    /** SendGrid accepted the message: by its answer, or by an event carrying our key. */
    async markSent(
      idempotencyKey: string,
      confirmation: { messageId: string | null; by: 'answer' | 'event' },
    ): Promise<boolean> {
      const updated = await byKey(idempotencyKey).where({ status: 'sending' }).update({
        status: 'sent',
        message_id: confirmation.messageId,
        confirmed_by: confirmation.by,
        sent_at: db.fn.now(),
      });
      return updated > 0;
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
