import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ProviderError } from '../../src/providers/provider-error';
import type { EmailMessage, Mailer } from '../../src/services/email/email-message';
import { createSentEmailsStore } from '../../src/db/stores/sent-emails-store';
import { createEmailSender, type EmailSendEvent } from '../../src/services/email/send-once';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { sampleMessage as message, sendgridFailures } from './send-fixtures';

const { timedOut, answered503, refused } = sendgridFailures;

let database: TestDatabase;
before(async () => (database = await createTestDatabase()));
after(async () => database?.close());

const sender = (
  mailer: Mailer,
  confirmationGraceMs = 0,
  attemptTimeoutMs = 60_000,
  record?: (event: EmailSendEvent, count?: number) => void,
) =>
  createEmailSender({
    ledger: createSentEmailsStore(database.db),
    mailer,
    confirmationGraceMs,
    attemptTimeoutMs,
    record,
  });
const awaitingEvent = (error: unknown) =>
  error instanceof ProviderError && error.kind === 'transient' && error.code === 'awaiting-event';
const ledgerRow = (key: string) => database.db('sent_emails').where({ idempotency_key: key }).first();

/** A mailer that fails its first calls with the given errors, then accepts. */
function mailerFailingWith(...failures: Error[]): Mailer & { calls: EmailMessage[] } {
  const calls: EmailMessage[] = [];
  return {
    calls,
    async send(m) {
      calls.push(m);
      const failure = failures[calls.length - 1];
      if (failure) throw failure;
      return { messageId: `m${calls.length}` };
    },
  };
}

test('sendOnce sends once per key: concurrent attempts find the row taken, retries find it sent', async () => {
  const sent: EmailMessage[] = [];
  const emails = sender({
    async send(m) {
      sent.push(m);
      await new Promise((r) => setTimeout(r, 50));
      return { messageId: `m${sent.length}` };
    },
  });
  const outcomes = await Promise.allSettled(
    [1, 2, 3, 4, 5].map(() => emails.sendOnce('lesson-1:booked:1:ada', 'LessonBooked', message)),
  );
  assert.equal(sent.length, 1);
  assert.equal(outcomes.filter((o) => o.status === 'fulfilled' && o.value === 'sent').length, 1);
  for (const outcome of outcomes)
    if (outcome.status === 'rejected') assert.ok(awaitingEvent(outcome.reason), String(outcome.reason));
  assert.equal(await emails.sendOnce('lesson-1:booked:1:ada', 'LessonBooked', message), 'already-sent');
  assert.equal(await emails.sendOnce('lesson-1:booked:2:ada', 'LessonBooked', message), 'sent');
  assert.equal(sent[0]?.customArgs?.idempotency_key, 'lesson-1:booked:1:ada');
  const row = await ledgerRow('lesson-1:booked:1:ada');
  assert.deepEqual([row.status, row.confirmed_by, row.message_id], ['sent', 'answer', 'm1']);
});

test('an attempt that died mid-send holds the key until the grace and its timeout have passed', async () => {
  await database.db('sent_emails').insert({
    idempotency_key: 'k-crashed',
    template: 'T',
    recipient: 'ada@example.com',
    status: 'sending',
  });
  const mailer = mailerFailingWith();
  // Windows wide enough that a loaded machine can't let them pass between the insert and the try.
  const emails = sender(mailer, 1000, 2000);
  await assert.rejects(emails.sendOnce('k-crashed', 'T', message), /being sent by another attempt/);
  await new Promise((r) => setTimeout(r, 3100));
  assert.equal(await emails.sendOnce('k-crashed', 'T', message), 'sent');
  assert.equal(mailer.calls.length, 1);
});

test('a send SendGrid clearly refused (it answered, or was never reached) is forgotten, so a retry sends at once', async () => {
  for (const [key, failure] of [
    ['k-503', answered503()],
    ['k-refused', refused()],
  ] as const) {
    const mailer = mailerFailingWith(failure);
    const emails = sender(mailer, 60_000);
    await assert.rejects(emails.sendOnce(key, 'T', message), /sendgrid/);
    assert.equal(await ledgerRow(key), undefined, `${key}: nothing is left in the ledger`);
    assert.equal(await emails.sendOnce(key, 'T', message), 'sent');
    assert.equal(mailer.calls.length, 2);
  }
});

test('a lost answer waits for SendGrid’s event: the event confirms it, and the retry sends nothing', async () => {
  const mailer = mailerFailingWith(timedOut());
  const events: string[] = [];
  const emails = sender(mailer, 60_000, 60_000, (event, count = 1) => events.push(`${event}×${count}`));
  await assert.rejects(emails.sendOnce('k-lost', 'T', message), /timed out/);
  assert.equal((await ledgerRow('k-lost')).status, 'unconfirmed');

  const waiting = await emails.sendOnce('k-lost', 'T', message).then(
    () => assert.fail('a retry before the event must not send'),
    (error: unknown) => error,
  );
  assert.ok(waiting instanceof ProviderError && waiting.kind === 'transient', String(waiting));
  assert.equal(waiting.code, 'awaiting-event');
  assert.ok(waiting.retryAfterMs! > 0 && waiting.retryAfterMs! <= 15_000, `${waiting.retryAfterMs}`);
  assert.equal(mailer.calls.length, 1);

  const event = { idempotencyKey: 'k-lost', messageId: 'sg-1' };
  const unknown = { idempotencyKey: 'k-never-sent', messageId: 'sg-2' };
  assert.equal(await emails.confirmFromEvents([event, unknown]), 1);
  assert.equal(await emails.confirmFromEvents([event]), 0, 'a repeated event changes nothing');
  assert.equal(await ledgerRow('k-never-sent'), undefined, 'an event writes no row of its own');
  assert.equal(await emails.sendOnce('k-lost', 'T', message), 'already-sent');
  assert.equal(mailer.calls.length, 1);
  const row = await ledgerRow('k-lost');
  assert.deepEqual([row.status, row.confirmed_by, row.message_id], ['sent', 'event', 'sg-1']);
  assert.deepEqual(events, ['unconfirmed×1', 'held×1', 'confirmed_by_event×1', 'already_sent×1']);
});

test('a lost answer with no event within the grace period is sent again', async () => {
  const mailer = mailerFailingWith(timedOut());
  const emails = sender(mailer, 300);
  await assert.rejects(emails.sendOnce('k-never-arrived', 'T', message));
  await assert.rejects(emails.sendOnce('k-never-arrived', 'T', message), /waiting up to 1 s/);
  await new Promise((r) => setTimeout(r, 350));
  assert.equal(await emails.sendOnce('k-never-arrived', 'T', message), 'sent');
  assert.equal(mailer.calls.length, 2);
  assert.equal((await ledgerRow('k-never-arrived')).status, 'sent');
});

test('without the event webhook (no grace) a lost answer is sent again at once: the documented window', async () => {
  for (const failure of [timedOut(), new Error('socket hang up')]) {
    const key = `k-no-webhook-${failure.message}`;
    const mailer = mailerFailingWith(failure);
    const emails = sender(mailer, 0);
    await assert.rejects(emails.sendOnce(key, 'T', message));
    assert.equal(
      (await ledgerRow(key)).status,
      'unconfirmed',
      'an unknown failure may have reached SendGrid',
    );
    assert.equal(await emails.sendOnce(key, 'T', message), 'sent');
    assert.equal(mailer.calls.length, 2);
  }
});

test('countSent counts what was or may have been sent under a prefix, and escapes LIKE wildcards', async () => {
  const emails = sender(mailerFailingWith(timedOut()), 60_000);
  await assert.rejects(emails.sendOnce('count_me:booked:1:tutor', 'T', message));
  await emails.sendOnce('count_me:booked:1:student', 'T', message);
  assert.equal(await emails.countSent('count_me:booked:'), 2);
  assert.equal(await emails.countSent('count_me:booked:', ':tutor'), 1);
  assert.equal(await emails.countSent('count_me:booked:', '_tutor'), 0);
  assert.equal(await emails.countSent('count%'), 0);
});
