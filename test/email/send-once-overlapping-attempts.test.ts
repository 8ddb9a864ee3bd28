import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Mailer } from '../../src/services/email/email-message';
import { createSentEmailsStore } from '../../src/db/stores/sent-emails-store';
import { createEmailSender } from '../../src/services/email/send-once';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { sampleMessage as message, sendgridFailures } from './send-fixtures';

const { answered503, timedOut } = sendgridFailures;

// An attempt that outlives its claim (it hung past `abandonedAfterMs`) must not undo the claim of
// the attempt that took the row over: each interleaving below sent the email a third time before.

let database: TestDatabase;
before(async () => (database = await createTestDatabase()));
after(async () => database?.close());

const ledgerRow = (key: string) => database.db('sent_emails').where({ idempotency_key: key }).first();
/** The held attempt hung past `abandonedAfterMs`: dated back, rather than waited for. */
const abandon = (key: string) =>
  database
    .db('sent_emails')
    .where({ idempotency_key: key })
    .update({ attempted_at: database.db.raw("now() - interval '1 hour'") });

interface PendingSend {
  resolve(messageId: string): void;
  reject(error: Error): void;
}

/**
 * A mailer whose first two sends (A's and B's) wait until the test settles them; any later one
 * (the duplicate these tests look for) is accepted at once.
 */
function handDrivenMailer() {
  const pending: PendingSend[] = [];
  const waiters: Array<() => void> = [];
  const mailer: Mailer = {
    send: () =>
      new Promise((resolve, reject) => {
        pending.push({ resolve: (messageId) => resolve({ messageId }), reject });
        if (pending.length > 2) resolve({ messageId: `sg-${pending.length}` });
        waiters.splice(0).forEach((wake) => wake());
      }),
  };
  /** The nth send (from 1), once it has reached the mailer: its attempt holds the row by then. */
  async function call(n: number): Promise<PendingSend> {
    while (pending.length < n) await new Promise<void>((wake) => waiters.push(wake));
    return pending[n - 1]!;
  }
  return { mailer, call, calls: () => pending.length };
}

// No event webhook (no grace): an 'unconfirmed' row can be claimed again at once.
function setUp() {
  const driven = handDrivenMailer();
  const emails = createEmailSender({
    ledger: createSentEmailsStore(database.db),
    mailer: driven.mailer,
    confirmationGraceMs: 0,
    attemptTimeoutMs: 60_000,
  });
  return { ...driven, emails };
}

/** A claims and hangs; B takes the abandoned row over and is sending. */
async function twoAttempts(key: string) {
  const driven = setUp();
  const a = driven.emails.sendOnce(key, 'T', message);
  const sendA = await driven.call(1);
  await abandon(key);
  const b = driven.emails.sendOnce(key, 'T', message);
  const sendB = await driven.call(2);
  return { ...driven, a, sendA, b, sendB };
}

test("a stale attempt's clear refusal does not forget the newer attempt's claim", async () => {
  const { emails, calls, a, sendA, b, sendB } = await twoAttempts('k-stale-refused');
  sendA.reject(answered503());
  await assert.rejects(a, /answered 503/);

  await assert.rejects(emails.sendOnce('k-stale-refused', 'T', message), /being sent by another attempt/);
  assert.equal(calls(), 2, 'no third send while B is sending');
  sendB.resolve('sg-b');
  assert.equal(await b, 'sent');
  assert.equal(await emails.sendOnce('k-stale-refused', 'T', message), 'already-sent');
  const row = await ledgerRow('k-stale-refused');
  assert.deepEqual([row.status, row.message_id], ['sent', 'sg-b']);
});

test("a stale attempt's lost answer does not make the newer attempt's claim look unconfirmed", async () => {
  const { emails, calls, a, sendA, b, sendB } = await twoAttempts('k-stale-lost');
  sendA.reject(timedOut());
  await assert.rejects(a, /timed out/);
  assert.equal((await ledgerRow('k-stale-lost')).status, 'sending', 'still B’s claim');

  await assert.rejects(emails.sendOnce('k-stale-lost', 'T', message), /being sent by another attempt/);
  assert.equal(calls(), 2);
  sendB.resolve('sg-b');
  assert.equal(await b, 'sent');
});

test("a stale attempt's 202 is recorded even after the newer attempt forgot its own claim", async () => {
  const { emails, calls, a, sendA, b, sendB } = await twoAttempts('k-stale-accepted');
  sendB.reject(answered503());
  await assert.rejects(b, /answered 503/);
  sendA.resolve('sg-a');
  assert.equal(await a, 'sent');

  assert.equal(await emails.sendOnce('k-stale-accepted', 'T', message), 'already-sent');
  assert.equal(calls(), 2);
  const row = await ledgerRow('k-stale-accepted');
  assert.deepEqual([row.status, row.message_id, row.confirmed_by], ['sent', 'sg-a', 'answer']);
});

test("a stale attempt's 202 confirms the row the newer attempt holds; the newer one's refusal then keeps it", async () => {
  const { emails, calls, a, sendA, b, sendB } = await twoAttempts('k-stale-first');
  sendA.resolve('sg-a');
  assert.equal(await a, 'sent');
  sendB.reject(answered503());
  await assert.rejects(b, /answered 503/);

  assert.equal(await emails.sendOnce('k-stale-first', 'T', message), 'already-sent');
  assert.equal(calls(), 2);
  assert.equal((await ledgerRow('k-stale-first')).message_id, 'sg-a');
});
