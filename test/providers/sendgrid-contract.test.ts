import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startSendGridEmulator, type SendGridEmulator } from '../../emulators/sendgrid/emulator';
import type { SendgridConfig } from '../../src/providers/sendgrid/env';
import { createSendGridMailer, type MailMessage } from '../../src/providers/sendgrid/mailer';
import { expectProviderError } from './expect-provider-error';

/** The SendGrid mailer (@sendgrid/mail underneath) against the SendGrid emulator. */

const API_KEY = 'SG.good-key-value';
const FROM = 'lessons@example.com';
let sendgrid: SendGridEmulator;
let config: SendgridConfig;

before(async () => {
  sendgrid = await startSendGridEmulator({ apiKey: API_KEY, verifiedSenders: [FROM] });
  config = {
    apiKey: API_KEY,
    baseUrl: sendgrid.apiBaseUrl,
    from: { email: FROM, name: 'Lessons' },
    sandbox: false,
    timeoutMs: 2000,
  };
});
beforeEach(() => sendgrid?.faults.clear());
after(async () => sendgrid?.close());

const message: MailMessage = {
  to: { email: 'sam@example.com', name: 'Sam' },
  subject: 'Your lesson',
  text: 'plain body',
  html: '<p>html body</p>',
};
const lastRequestBody = () => JSON.parse(sendgrid.requests.find({ method: 'POST' }).at(-1)?.body ?? '{}');

test('send: 202 with the message id; text/plain before text/html; attachments, categories and custom args', async () => {
  const { messageId } = await createSendGridMailer(config).send({
    ...message,
    attachments: [{ filename: 'notes.txt', type: 'text/plain', content: 'Bring a notebook' }],
    categories: ['lesson-booked'],
    customArgs: { lessonId: 'l-1' },
  });
  const [last] = sendgrid.outbox().slice(-1);
  assert.ok(messageId);
  assert.equal(sendgrid.requests.find({ method: 'POST' }).at(-1)?.status, 202);
  assert.deepEqual(
    lastRequestBody().content.map((c: { type: string }) => c.type),
    ['text/plain', 'text/html'],
  );
  assert.deepEqual(lastRequestBody().from, { email: FROM, name: 'Lessons' });
  assert.deepEqual(last?.to, ['sam@example.com']);
  assert.equal(last?.subject, 'Your lesson');
  assert.equal(last?.attachments[0]?.content, 'Bring a notebook');
  assert.deepEqual(last?.categories, ['lesson-booked']);
  assert.deepEqual(last?.customArgs, { lessonId: 'l-1' });
});

test('sandbox mode sends sandbox_mode.enable as a real boolean: 200, and nothing delivered', async () => {
  const before = sendgrid.outboxTotal();
  await createSendGridMailer({ ...config, sandbox: true }).send(message);
  assert.deepEqual(lastRequestBody().mail_settings, { sandbox_mode: { enable: true } });
  assert.equal(sendgrid.requests.find({ method: 'POST' }).at(-1)?.status, 200);
  assert.equal(sendgrid.outboxTotal(), before);
});

test('a bad API key: 401, retried until an operator mends it, and the key is nowhere in the error (message, properties, inspect, JSON)', async () => {
  const error = await expectProviderError(
    createSendGridMailer({ ...config, apiKey: 'SG.bad-key-value' }).send(message),
    { kind: 'transient', status: 401, code: 'account-refused' },
    ['SG.bad-key-value', API_KEY, 'Authorization', 'Bearer'],
  );
  assert.match(error.message, /authorization grant is invalid, expired, or revoked/);
  assert.equal(error.cause, undefined);
});

test('400 validation is rejected for good; 403 unverified sender waits for an operator like a 401; both with SendGrid messages', async () => {
  const invalid = await expectProviderError(
    createSendGridMailer(config).send({ ...message, to: { email: 'not-an-email' } }),
    { kind: 'rejected', status: 400 },
    [API_KEY],
  );
  assert.match(invalid.message, /valid address/);
  await expectProviderError(
    createSendGridMailer({ ...config, from: { email: 'other@example.com', name: 'x' } }).send(message),
    { kind: 'transient', status: 403, code: 'account-refused' },
    [API_KEY],
  );
});

test('429 is transient: the delay from X-RateLimit-Reset, or from Retry-After when given', async () => {
  sendgrid.faults.add({ route: 'POST /v3/mail/send', status: 429, firstN: 1 });
  const reset = await expectProviderError(
    createSendGridMailer(config).send(message),
    { kind: 'transient', status: 429 },
    [API_KEY],
  );
  assert.ok(reset.retryAfterMs !== undefined && reset.retryAfterMs <= 2000);
  assert.match(reset.message, /too many requests/);
  sendgrid.faults.add({ route: 'POST /v3/mail/send', status: 429, retryAfter: { seconds: 7 }, firstN: 1 });
  const seconds = await expectProviderError(createSendGridMailer(config).send(message), {
    kind: 'transient',
    status: 429,
  });
  assert.equal(seconds.retryAfterMs, 7000);
});

test('5xx, a hang past the timeout and a reset are transient, and carry no key', async () => {
  sendgrid.faults.add({ route: 'POST /v3/mail/send', status: 503, firstN: 1 });
  await expectProviderError(createSendGridMailer(config).send(message), { kind: 'transient', status: 503 }, [
    API_KEY,
  ]);
  sendgrid.faults.add({ route: 'POST /v3/mail/send', hang: 'before', firstN: 1 });
  const started = Date.now();
  await expectProviderError(
    createSendGridMailer({ ...config, timeoutMs: 150 }).send(message),
    { kind: 'transient', code: 'timeout' },
    [API_KEY],
  );
  assert.ok(Date.now() - started < 1500);
  sendgrid.faults.add({ route: 'POST /v3/mail/send', reset: 'before', firstN: 1 });
  await expectProviderError(createSendGridMailer(config).send(message), { kind: 'transient' }, [API_KEY]);
});

test('two mailers in one process keep their own key and base URL', async () => {
  const other = await startSendGridEmulator({ apiKey: 'SG.other-key-value' });
  try {
    const first = createSendGridMailer(config);
    const second = createSendGridMailer({
      ...config,
      apiKey: 'SG.other-key-value',
      baseUrl: other.apiBaseUrl,
    });
    const [before, beforeOther] = [sendgrid.outboxTotal(), other.outboxTotal()];
    await first.send(message);
    await second.send(message);
    await first.send(message);
    assert.deepEqual([sendgrid.outboxTotal() - before, other.outboxTotal() - beforeOther], [2, 1]);
  } finally {
    await other.close();
  }
});
