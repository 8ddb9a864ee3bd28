import type { Knex } from 'knex';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AdvisoryLocks } from '../../db/advisory-locks';
import { createSentEmailsStore } from '../../db/stores/sent-emails-store';
import { isProviderError, ProviderError } from '../../providers/provider-error';
import type { EmailMessage, Mailer } from './email-message';

export type SendOutcome = 'sent' | 'already-sent';

export interface EmailSenderDeps {
  db: Knex;
  mailer: Mailer;
  locks: AdvisoryLocks;
  /**
   * How long a send whose answer was lost waits for SendGrid's event for it (which confirms it)
   * before it is sent again. 0 without the event webhook: nothing could confirm it.
   */
  confirmationGraceMs: number;
}

/** The custom arg that carries the ledger key to SendGrid, and back in its events. */
export const IDEMPOTENCY_KEY_ARG = 'idempotency_key';

/** Network failures that happen before a request leaves: SendGrid never saw it. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const MAX_RECHECK_MS = 15_000;

/** A timeout or reset after the request was written may hide a 202: only SendGrid's event can tell. */
function mayHaveBeenAccepted(error: unknown): boolean {
  if (!isProviderError(error)) return true;
  if (error.status !== undefined || error.kind !== 'transient') return false;
  return !NEVER_SENT_CODES.has(String(error.code));
}

/** Retries a ledger write for about 30 s: a restarting PostgreSQL must not turn a 202 into a resend. */
async function persistently<T>(write: () => Promise<T>): Promise<T> {
  for (let delayMs = 250; ; delayMs *= 2) {
    try {
      return await write();
    } catch (error) {
      if (delayMs > 16_000) throw error;
      await sleep(delayMs);
    }
  }
}

/**
 * Sends an email once per idempotency key (lesson:event:version:recipient, or
 * token:template:day). SendGrid has no idempotency key, so the ledger in PostgreSQL is the memory:
 * - an advisory lock on the key serialises concurrent attempts (a timed-out activity still
 *   running beside its retry);
 * - the row is written 'sending' before the request, and 'sent' after SendGrid's 202;
 * - a clear refusal (an HTTP error, a refused connection) forgets the attempt, so a retry sends;
 * - an unclear one (a timeout or reset after the request was written, a crash, the database lost
 *   before the 202 was recorded) leaves the row 'sending'. SendGrid's event for the message, which
 *   carries the key, marks it 'sent' (src/api/routes/sendgrid-events.ts); a retry waits for that
 *   event for `confirmationGraceMs`, and sends again only when none came.
 */
export function createEmailSender({ db, mailer, locks, confirmationGraceMs }: EmailSenderDeps) {
  const ledger = createSentEmailsStore(db);

  async function awaitConfirmation(idempotencyKey: string, msSinceAttempt: number): Promise<void> {
    const remainingMs = confirmationGraceMs - msSinceAttempt;
    if (remainingMs <= 0) return;
    throw new ProviderError({
      provider: 'sendgrid',
      kind: 'transient',
      code: 'awaiting-event',
      message: `an earlier send of ${idempotencyKey} may have reached SendGrid; waiting up to ${Math.ceil(remainingMs / 1000)} s for its event before sending again`,
      // Events come within seconds: look again soon, then less often.
      retryAfterMs: Math.min(remainingMs, Math.max(1000, msSinceAttempt), MAX_RECHECK_MS),
    });
  }

  return {
    async sendOnce(idempotencyKey: string, template: string, message: EmailMessage): Promise<SendOutcome> {
      return locks.withLock(`email:${idempotencyKey}`, async () => {
        const entry = await ledger.find(idempotencyKey);
        if (entry?.status === 'sent') return 'already-sent';
        if (entry?.status === 'sending') await awaitConfirmation(idempotencyKey, entry.msSinceAttempt);

        await ledger.markSending({ idempotencyKey, template, recipient: message.to.email });
        let messageId: string | null;
        try {
          ({ messageId } = await mailer.send({
            ...message,
            customArgs: { ...message.customArgs, [IDEMPOTENCY_KEY_ARG]: idempotencyKey },
          }));
        } catch (error) {
          if (!mayHaveBeenAccepted(error)) await ledger.forgetAttempt(idempotencyKey);
          throw error;
        }
        await persistently(() => ledger.markSent(idempotencyKey, { messageId, by: 'answer' }));
        return 'sent';
      });
    },

    /** SendGrid's event for a message we sent: confirms an attempt whose answer was lost. */
    confirmFromEvent: (idempotencyKey: string, messageId: string | null): Promise<boolean> =>
      ledger.markSent(idempotencyKey, { messageId, by: 'event' }),

    /** How many emails under keys starting with `prefix` were (or may have been) sent. */
    countSent: (prefix: string): Promise<number> => ledger.countByKeyPrefix(prefix),
  };
}
export type EmailSender = ReturnType<typeof createEmailSender>;
