import type { Knex } from 'knex';

/** The ledger of sent emails: one row per idempotency key, so that retries skip what was sent. */
export function createSentEmailsStore(db: Knex) {
  return {
    async wasSent(idempotencyKey: string, trx: Knex = db): Promise<boolean> {
      const row = await trx('sent_emails').where({ idempotency_key: idempotencyKey }).first('id');
      return row !== undefined;
    },

    async record(
      entry: { idempotencyKey: string; template: string; recipient: string; messageId: string | null },
      trx: Knex = db,
    ): Promise<void> {
      await trx('sent_emails')
        .insert({
          idempotency_key: entry.idempotencyKey,
          template: entry.template,
          recipient: entry.recipient,
          message_id: entry.messageId,
        })
        .onConflict('idempotency_key')
        .ignore();
    },

    async countByKeyPrefix(prefix: string): Promise<number> {
      const [row] = await db('sent_emails')
        .where('idempotency_key', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`)
        .count<{ count: string }[]>('id as count');
      return Number(row?.count ?? 0);
    },
  };
}
export type SentEmailsStore = ReturnType<typeof createSentEmailsStore>;
