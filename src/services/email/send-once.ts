import { setTimeout as sleep } from 'node:timers/promises';
import type { LedgerEntry, LedgerKey, SentEmailsStore } from '../../db/stores/sent-emails-store';
import { isProviderError, ProviderError } from '../../providers/provider-error';
import type { EmailMessage, Mailer } from './email-message';

/** 'refused': SendGrid refused this message for good (400, 413); it will never be sent. */
export type SendOutcome = 'sent' | 'already-sent' | 'refused';

/** What happened to one send, for metrics. */
export type EmailSendEvent =
  'sent' | 'already_sent' | 'held' | 'refused' | 'unconfirmed' | 'confirmed_by_event';

export interface EmailSenderDeps {
  ledger: SentEmailsStore;
  mailer: Mailer;
  /**
   * How long a send whose answer was lost waits for SendGrid's event for it (which confirms it)
   * before it is sent again. 0 without the event webhook: nothing could confirm it.
   */
  confirmationGraceMs: number;
  /** The longest an attempt can take (the mailer's timeout and the ledger write's retries). */
  attemptTimeoutMs: number;
  /** Told of every outcome (metrics); nothing by default. */
  record?: (event: EmailSendEvent, count?: number) => void;
  /** Told of a message given up for good, for operators' eyes. */
  onGivenUp?: (idempotencyKey: string, error: ProviderError) => void;
}

/** The custom arg that carries the ledger key to SendGrid, and back in its events. */
export const IDEMPOTENCY_KEY_ARG = 'idempotency_key';

/** Network failures that happen before a request leaves: SendGrid never saw it. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const MAX_RECHECK_MS = 15_000;
/** Ledger writes after a 202 are retried this long: ~32 s, through a PostgreSQL restart. */
const RECORD_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 16_000];
export const RECORD_RETRY_MS = RECORD_RETRY_DELAYS_MS.reduce((a, b) => a + b);

/** A timeout or reset after the request was written may hide a 202: only SendGrid's event can tell. */
function mayHaveBeenAccepted(error: unknown): boolean {
  if (!isProviderError(error)) return true;
  if (error.status !== undefined || error.kind !== 'transient') return false;
  return !NEVER_SENT_CODES.has(String(error.code));
}

async function persistently<T>(write: () => Promise<T>): Promise<T> {
  for (const delayMs of RECORD_RETRY_DELAYS_MS) {
    try {
      return await write();
    } catch {
      await sleep(delayMs);
    }
  }
  return write();
}

/**
 * Sends an email once per idempotency key (lesson:event:version:recipient, or
 * token:template:day). SendGrid has no idempotency key, so the ledger in PostgreSQL is the memory,
 * and its row the lock:
 * - an attempt first claims the row ('sending'); a concurrent attempt (a timed-out activity
 *   still running beside its retry) finds it taken and retries later. Each claim has its own
 *   attempt id, so an attempt that outlived its claim never undoes the claim of a newer one;
 * - SendGrid's 202 turns it 'sent', and every later attempt skips it;
 * - a clear refusal (an HTTP error, a refused connection) forgets the row, so a retry sends;
 *   one SendGrid will always refuse (400, 413) is given up at once ('refused');
 * - an unclear one (a timeout or reset after the request was written) leaves it 'unconfirmed',
 *   and a crash leaves it 'sending'. SendGrid's event for the message, which carries the key,
 *   turns it 'sent' (src/api/routes/sendgrid-events.ts). A retry waits `confirmationGraceMs`
 *   for that event (plus `attemptTimeoutMs` after a crash), and sends again only when none came.
 */
export function createEmailSender({
  ledger,
  mailer,
  confirmationGraceMs,
  attemptTimeoutMs,
  record = () => undefined,
  onGivenUp = () => undefined,
}: EmailSenderDeps) {
  const ages = {
    unconfirmedAfterMs: confirmationGraceMs,
    abandonedAfterMs: confirmationGraceMs + attemptTimeoutMs,
  };

  function taken(idempotencyKey: string, entry: LedgerEntry): ProviderError {
    const waitMs = entry.status === 'sending' ? ages.abandonedAfterMs : ages.unconfirmedAfterMs;
    const remainingMs = Math.max(0, waitMs - entry.msSinceAttempt);
    return new ProviderError({
      provider: 'sendgrid',
      kind: 'transient',
      code: 'awaiting-event',
      message:
        entry.status === 'sending'
          ? `${idempotencyKey} is being sent by another attempt; looking again in a moment`
          : `an earlier send of ${idempotencyKey} may have reached SendGrid; waiting up to ${Math.ceil(remainingMs / 1000)} s for its event before sending again`,
      // Answers and events come within seconds: look again soon, then less often.
      retryAfterMs: Math.min(
        Math.max(remainingMs, 100),
        Math.max(1000, entry.msSinceAttempt),
        MAX_RECHECK_MS,
      ),
    });
  }

  /** The attempt's id once it holds the key; 'already-sent' when there is nothing to send. */
  async function claimOrSkip(entry: LedgerKey): Promise<{ attemptId: string } | 'already-sent'> {
    for (let tries = 0; tries < 3; tries++) {
      const attemptId = await ledger.claim(entry, ages);
      if (attemptId) return { attemptId };
      const existing = await ledger.find(entry.idempotencyKey);
      if (existing?.status === 'sent') return 'already-sent';
      if (existing) {
        record('held');
        throw taken(entry.idempotencyKey, existing);
      }
      // The holder forgot its attempt in between: claim again.
    }
    throw new Error(`could not claim ${entry.idempotencyKey}`);
  }

  return {
    async sendOnce(idempotencyKey: string, template: string, message: EmailMessage): Promise<SendOutcome> {
      const entry = { idempotencyKey, template, recipient: message.to.email };
      const claim = await claimOrSkip(entry);
      if (claim === 'already-sent') {
        record('already_sent');
        return 'already-sent';
      }
      let messageId: string | null;
      try {
        ({ messageId } = await mailer.send({
          ...message,
          customArgs: { ...message.customArgs, [IDEMPOTENCY_KEY_ARG]: idempotencyKey },
        }));
      } catch (error) {
        const unclear = mayHaveBeenAccepted(error);
        record(unclear ? 'unconfirmed' : 'refused');
        if (unclear) await ledger.markUnconfirmed(idempotencyKey, claim.attemptId);
        else await ledger.forgetAttempt(idempotencyKey, claim.attemptId);
        // Retrying a message SendGrid refuses (validation, too large) can't mend it, and failing
        // would end the lesson's or the saga's workflow over one email: it is given up.
        if (isProviderError(error, 'rejected')) {
          onGivenUp(idempotencyKey, error);
          return 'refused';
        }
        throw error;
      }
      // Retried through a PostgreSQL restart: losing this write would make the 202 look lost.
      await persistently(() => ledger.markSent(entry, messageId));
      record('sent');
      return 'sent';
    },

    /** SendGrid's events for messages we sent: confirm attempts whose answer was lost. */
    async confirmFromEvents(
      messages: Array<{ idempotencyKey: string; messageId: string | null }>,
    ): Promise<number> {
      const confirmed = await ledger.markSentByEvents(messages);
      if (confirmed) record('confirmed_by_event', confirmed);
      return confirmed;
    },

    /** How many emails under keys starting with `prefix` (and ending with `suffix`) were (or may have been) sent. */
    countSent: (prefix: string, suffix = ''): Promise<number> => ledger.countByKeyPrefix(prefix, suffix),
  };
}
export type EmailSender = ReturnType<typeof createEmailSender>;
