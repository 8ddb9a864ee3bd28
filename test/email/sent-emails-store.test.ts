import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createSentEmailsStore, type SentEmailsStore } from '../../src/db/stores/sent-emails-store';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
let ledger: SentEmailsStore;
before(async () => {
  database = await createTestDatabase();
  ledger = createSentEmailsStore(database.db);
});
after(async () => database?.close());

const entry = (idempotencyKey: string) => ({ idempotencyKey, template: 'T', recipient: 'ada@example.com' });
/** A claim is taken over at once: the earlier attempt counts as abandoned. */
const takeOver = { unconfirmedAfterMs: 0, abandonedAfterMs: 0 };
const hold = { unconfirmedAfterMs: 60_000, abandonedAfterMs: 60_000 };
const row = (key: string) => database.db('sent_emails').where({ idempotency_key: key }).first();
const state = async (key: string) => {
  const r = await row(key);
  return r && [r.status, r.message_id, r.confirmed_by];
};

/** Attempt A's claim, then attempt B's, which took the row over. */
async function twoClaims(key: string): Promise<[string, string]> {
  const a = await ledger.claim(entry(key), takeOver);
  const b = await ledger.claim(entry(key), takeOver);
  assert.ok(a && b && a !== b, 'each claim has its own attempt id');
  return [a, b];
}

test('a claim returns its attempt id; a held key returns none', async () => {
  const [, b] = await twoClaims('s-claim');
  assert.equal(await ledger.claim(entry('s-claim'), hold), undefined);
  assert.equal((await row('s-claim')).attempt_id, b);
});

test('a stale attempt can neither forget nor unconfirm the claim that took its row over', async () => {
  const [a, b] = await twoClaims('s-stale');
  await ledger.forgetAttempt('s-stale', a);
  await ledger.markUnconfirmed('s-stale', a);
  assert.deepEqual(await state('s-stale'), ['sending', null, null]);
  assert.equal((await row('s-stale')).attempt_id, b);

  await ledger.markUnconfirmed('s-stale', b);
  await ledger.markUnconfirmed('s-stale', b);
  assert.deepEqual(await state('s-stale'), ['unconfirmed', null, null]);
  await ledger.forgetAttempt('s-stale', b);
  assert.deepEqual(await state('s-stale'), ['unconfirmed', null, null], 'no longer sending: kept');

  const c = (await ledger.claim(entry('s-stale'), takeOver))!;
  await ledger.forgetAttempt('s-stale', c);
  await ledger.forgetAttempt('s-stale', c);
  assert.equal(await row('s-stale'), undefined, 'its own claim is forgotten');
});

test("a 202 records 'sent' whoever holds the row, even when there is no row any more", async () => {
  const [a, b] = await twoClaims('s-202');
  assert.equal(await ledger.markSent(entry('s-202'), 'sg-a'), true);
  assert.deepEqual(await state('s-202'), ['sent', 'sg-a', 'answer']);
  await ledger.forgetAttempt('s-202', b);
  await ledger.markUnconfirmed('s-202', b);
  await ledger.forgetAttempt('s-202', a);
  assert.equal(await ledger.markSent(entry('s-202'), 'sg-b'), false, 'a sent row is not rewritten');
  assert.deepEqual(await state('s-202'), ['sent', 'sg-a', 'answer']);
  assert.equal(await ledger.claim(entry('s-202'), takeOver), undefined);

  const [, d] = await twoClaims('s-202-forgotten');
  await ledger.forgetAttempt('s-202-forgotten', d);
  assert.equal(await ledger.markSent(entry('s-202-forgotten'), 'sg-c'), true);
  assert.equal(
    await ledger.markSent(entry('s-202-forgotten'), 'sg-c'),
    false,
    'a retried write is idempotent',
  );
  const written = await row('s-202-forgotten');
  assert.deepEqual(
    [written.status, written.message_id, written.template, written.recipient],
    ['sent', 'sg-c', 'T', 'ada@example.com'],
  );
});

test("SendGrid's events confirm a claimed row, which its holder's writes then leave 'sent'", async () => {
  const [, b] = await twoClaims('s-event');
  const events = [
    { idempotencyKey: 's-event', messageId: 'sg-e' },
    { idempotencyKey: 's-no-row', messageId: 'sg-x' },
  ];
  assert.equal(await ledger.markSentByEvents(events), 1);
  assert.equal(await ledger.markSentByEvents(events), 0);
  await ledger.forgetAttempt('s-event', b);
  await ledger.markUnconfirmed('s-event', b);
  assert.equal(await ledger.markSent(entry('s-event'), 'sg-b'), false);
  assert.deepEqual(await state('s-event'), ['sent', 'sg-e', 'event']);
  assert.equal(await row('s-no-row'), undefined, 'an event writes no row of its own');
});

test('a row claimed before attempt ids (none on it) ages out and is claimed as before', async () => {
  await database
    .db('sent_emails')
    .insert({ idempotency_key: 's-old', template: 'T', recipient: 'ada@example.com', status: 'sending' });
  assert.equal(await ledger.claim(entry('s-old'), hold), undefined);
  const claimed = await ledger.claim(entry('s-old'), takeOver);
  assert.ok(claimed);
  assert.equal((await row('s-old')).attempt_id, claimed);
});
