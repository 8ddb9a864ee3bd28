import type { Knex } from 'knex';
import { createSentEmailsStore } from '../../db/stores/sent-emails-store';
import type { EmailMessage, Mailer } from './email-message';

export type SendOutcome = 'sent' | 'already-sent';

/**
 * Sends an email at most once per idempotency key (lesson:event:version:recipient, or
 * token:template:day). SendGrid has no idempotency key, so the ledger in PostgreSQL is the memory:
 * an advisory lock on the key serialises concurrent attempts (a timed-out activity still running
 * beside its retry), and a retry finds the recorded send and skips it.
 *
 * The one window left: a crash after SendGrid's 202 and before the commit repeats that one email
 * on retry. The fault drills count such duplicates rather than assume none.
 */
export function createEmailSender({ db, mailer }: { db: Knex; mailer: Mailer }) {
  const ledger = createSentEmailsStore(db);

  return {
    async sendOnce(idempotencyKey: string, template: string, message: EmailMessage): Promise<SendOutcome> {
      return db.transaction(async (trx) => {
        await trx.raw('SELECT pg_advisory_xact_lock(hashtextextended(?, 0))', [`email:${idempotencyKey}`]);
        if (await ledger.wasSent(idempotencyKey, trx)) return 'already-sent';
        const { messageId } = await mailer.send({
          ...message,
          customArgs: { ...message.customArgs, idempotency_key: idempotencyKey },
        });
        await ledger.record({ idempotencyKey, template, recipient: message.to.email, messageId }, trx);
        return 'sent';
      });
    },

    /** How many emails under keys starting with `prefix` were sent (e.g. a lesson's booked pair). */
    countSent: (prefix: string): Promise<number> => ledger.countByKeyPrefix(prefix),
  };
}
export type EmailSender = ReturnType<typeof createEmailSender>;
