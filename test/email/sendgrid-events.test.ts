import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  eventWebhookPublicKey,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyEventSignature,
} from '../../src/providers/sendgrid/event-signature';
import { signEventBatch as signEvents } from '../../emulators/sendgrid/event-signing';
import { createApp } from '../../src/api/app';
import { createSendGridEventsArea } from '../../src/api/routes/sendgrid-events';
import { createLogger } from '../../src/logger';
import { api, booking, waitFor, waitForLessonIdle } from '../lessons/lesson-helpers';
import { useTestStack } from '../support/use-test-stack';

const stack = useTestStack({ env: { SENDGRID_TIMEOUT_MS: '1000' } });

const message = { to: { email: 'ada@example.com' }, subject: 'Hi', text: 't', html: '<p>h</p>' };
const ledgerRow = (key: string) => stack.database.db('sent_emails').where({ idempotency_key: key }).first();
const timestamp = () => String(Math.floor(Date.now() / 1000));

function postEvents(body: string, headers: Record<string, string>) {
  return fetch(`${stack.api.url}/webhooks/sendgrid`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
}
const signedBy =
  (key = stack.sendgrid.eventWebhook.privateKey) =>
  (body: string, at = timestamp()) => ({
    [SIGNATURE_HEADER]: signEvents(key, at, body),
    [TIMESTAMP_HEADER]: at,
  });

test('a send whose answer was lost is confirmed by SendGrid’s event: the retry sends nothing', async () => {
  const key = `lost-${Date.now()}`;
  stack.sendgrid.faults.add({ route: 'POST /v3/mail/send', reset: 'after', firstN: 1 });
  const emails = stack.container.emailSender;
  await assert.rejects(emails.sendOnce(key, 'T', message), /ECONNRESET|network|socket/i);
  await waitFor('the event', async () => (await ledgerRow(key))?.status === 'sent', 10_000);
  assert.equal((await ledgerRow(key)).confirmed_by, 'event');
  assert.equal(await emails.sendOnce(key, 'T', message), 'already-sent');
  assert.equal(stack.sendgrid.outbox().filter((m) => m.customArgs.idempotency_key === key).length, 1);
  const metrics = await stack.container.metrics.getSingleMetricAsString('email_sends_total');
  assert.match(metrics, /email_sends_total\{outcome="unconfirmed"\} 1/);
  assert.match(metrics, /email_sends_total\{outcome="confirmed_by_event"\} 1/);
});

test('a booking whose LessonBooked answers are lost still sends each email exactly once', async () => {
  stack.sendgrid.faults.add({ route: 'POST /v3/mail/send', hang: 'after', firstN: 2 });
  const lesson = booking();
  assert.equal((await api(stack).book(lesson)).status, 202);
  const booked = (m: { customArgs: Record<string, string> }) =>
    m.customArgs.idempotency_key?.startsWith(`${lesson.id}:booked:1:`);
  await waitFor(
    'both emails confirmed',
    async () =>
      (
        await stack.database.db('sent_emails').where('idempotency_key', 'like', `${lesson.id}:booked:%`)
      ).filter((row: { status: string }) => row.status === 'sent').length === 2,
    30_000,
  );
  await waitForLessonIdle(stack, lesson.id); // every step done: a wrong resend would have shown
  assert.equal(stack.sendgrid.outbox().filter(booked).length, 2);
});

test('bad deliveries are refused and change nothing; a valid one confirms only what was pending', async () => {
  const pending = `pending-${Date.now()}`;
  await stack.database.db('sent_emails').insert({
    idempotency_key: pending,
    template: 'T',
    recipient: 'x@example.com',
    status: 'sending',
  });
  // One odd event (another app's: a key that is no string, no event name) spoils nothing.
  const events = JSON.stringify([
    { event: 'processed', sg_message_id: 'abc.filter1', idempotency_key: pending, email: 'x@example.com' },
    { event: 'delivered', idempotency_key: pending },
    { event: 'processed', email: 'someone-else@example.com' },
    { idempotency_key: 42, sg_message_id: { odd: true } },
  ]);
  const strangerKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const refusals: Array<[string, Record<string, string>, number]> = [
    ['no signature', {}, 401],
    ['a stranger’s key', signedBy(strangerKey)(events), 401],
    ['a signature over another timestamp', { ...signedBy()(events), [TIMESTAMP_HEADER]: '1' }, 401],
    ['garbage signature', { [SIGNATURE_HEADER]: 'bm90IGRlcg==', [TIMESTAMP_HEADER]: timestamp() }, 401],
  ];
  for (const [what, headers, status] of refusals) {
    const response = await postEvents(events, headers);
    assert.equal(response.status, status, what);
    assert.equal((await ledgerRow(pending)).status, 'sending', `${what} wrote nothing`);
  }
  for (const body of ['{"event":"processed"}', '[]', 'not json', '[1, "x"]']) {
    assert.equal((await postEvents(body, signedBy()(body))).status, 400, body);
  }
  assert.equal((await ledgerRow(pending)).status, 'sending');

  const response = await postEvents(events, signedBy()(events));
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { received: 4, confirmed: 1 });
  const row = await ledgerRow(pending);
  assert.deepEqual([row.status, row.confirmed_by, row.message_id], ['sent', 'event', 'abc']);
  // SendGrid re-sends deliveries it thinks failed: a replay is harmless.
  assert.deepEqual(await (await postEvents(events, signedBy()(events))).json(), {
    received: 4,
    confirmed: 0,
  });
});

test('the emulator posts signed processed and delivered events with the custom args, and retries failures', async () => {
  const received: Array<{ body: string; headers: Record<string, string | string[] | undefined> }> = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString(), headers: req.headers });
      res.writeHead(received.length === 1 ? 503 : 200).end(); // the first delivery fails
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const webhook = stack.sendgrid.eventWebhook;
  const apiUrl = webhook.url;
  webhook.url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
  try {
    await stack.container.mailer.send({ ...message, customArgs: { idempotency_key: 'k-1', lesson: 'L1' } });
    await waitFor('the retried delivery', async () => received.length === 2, 10_000);
  } finally {
    webhook.url = apiUrl;
    receiver.close();
  }
  const [first, second] = received;
  assert.equal(first?.body, second?.body, 'the same events again');
  const events = JSON.parse(second!.body) as Array<Record<string, unknown>>;
  assert.deepEqual(
    events.map((e) => [e.event, e.idempotency_key, e.lesson, e.email]),
    [
      ['processed', 'k-1', 'L1', 'ada@example.com'],
      ['delivered', 'k-1', 'L1', 'ada@example.com'],
    ],
  );
  const verified = verifyEventSignature({
    publicKey: eventWebhookPublicKey(webhook.publicKey),
    signature: second!.headers[SIGNATURE_HEADER] as string,
    timestamp: second!.headers[TIMESTAMP_HEADER] as string,
    rawBody: Buffer.from(second!.body),
  });
  assert.equal(verified, true);
  assert.ok(webhook.counts().failedAttempts >= 1);
});

test('without a verification key the event webhook is off: every delivery is a 404 and confirms nothing', async () => {
  let confirmed = 0;
  const app = createApp({
    logger: createLogger({ level: 'silent' }),
    areas: [
      createSendGridEventsArea({
        logger: createLogger({ level: 'silent' }),
        confirmSends: async () => ++confirmed,
      }),
    ],
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const body = JSON.stringify([{ event: 'processed', idempotency_key: 'k' }]);
    const response = await fetch(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/sendgrid`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signedBy()(body) },
        body,
      },
    );
    assert.equal(response.status, 404);
    assert.equal(confirmed, 0);
  } finally {
    server.close();
  }
});

test('a batch skips each bad event of ours with a warning and confirms the rest: never a 500', async () => {
  const pending = (name: string) => `${name}-${Date.now()}`;
  const [good, badMessageId, longMessageId] = ['good', 'bad-id', 'long-id'].map(pending) as [
    string,
    string,
    string,
  ];
  for (const key of [good, badMessageId, longMessageId])
    await stack.database
      .db('sent_emails')
      .insert({ idempotency_key: key, template: 'T', recipient: 'x@example.com', status: 'sending' });
  const before = stack.logs.length;
  const events = JSON.stringify([
    { event: 'processed', idempotency_key: `${good}\u0000`, sg_message_id: 'nul-key.filter' },
    { event: 'processed', idempotency_key: 'k'.repeat(501), sg_message_id: 'long-key.filter' },
    { event: 'processed', idempotency_key: `${good}\u202e`, sg_message_id: 'bidi-key.filter' },
    { event: 'processed', idempotency_key: badMessageId, sg_message_id: 'abc\u0000.filter' },
    { event: 'processed', idempotency_key: longMessageId, sg_message_id: 'm'.repeat(5_000) },
    { event: 'processed', idempotency_key: good, sg_message_id: 'fine.filter1' },
  ]);
  const response = await postEvents(events, signedBy()(events));
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { received: 6, confirmed: 1 });
  const row = await ledgerRow(good);
  assert.deepEqual([row.status, row.message_id], ['sent', 'fine']);
  assert.equal((await ledgerRow(badMessageId)).status, 'sending', 'a NUL in sg_message_id: skipped');
  assert.equal((await ledgerRow(longMessageId)).status, 'sending', 'a 5,000-character sg_message_id');

  const warnings = stack.logs
    .slice(before)
    .filter((line) => line.includes('a SendGrid event with a malformed field was skipped'))
    .map((line) => JSON.parse(line) as { level: number; index: number; fields: string[] });
  assert.deepEqual(
    warnings.map((w) => [w.index, w.fields]),
    [
      [0, ['idempotency_key']],
      [1, ['idempotency_key']],
      [2, ['idempotency_key']],
      [3, ['sg_message_id']],
      [4, ['sg_message_id']],
    ],
  );
  assert.ok(
    warnings.every((w) => w.level === 40),
    'at warn',
  );
  assert.ok(!stack.logs.slice(before).some((line) => line.includes('m'.repeat(300))), 'no value logged');
});
