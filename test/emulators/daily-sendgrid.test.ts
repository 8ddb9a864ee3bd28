import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDailyEmulator, type DailyEmulator } from '../../emulators/daily/emulator';
import { startSendGridEmulator, type SendGridEmulator } from '../../emulators/sendgrid/emulator';
import { createDailyClient } from '../../src/providers/daily/client';
import { createSendGridMailer } from '../../src/providers/sendgrid/mailer';
import type { ProviderError } from '../../src/providers/provider-error';

let daily: DailyEmulator;
let sendgrid: SendGridEmulator;
before(async () => {
  [daily, sendgrid] = await Promise.all([
    startDailyEmulator({ apiKey: 'dk' }),
    startSendGridEmulator({ apiKey: 'SG.good', verifiedSenders: ['lessons@example.com'] }),
  ]);
});
after(async () => Promise.all([daily?.close(), sendgrid?.close()]));

const dailyCall = (path: string, init: RequestInit & { key?: string | null } = {}) =>
  fetch(`${daily.apiBaseUrl}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.key === null ? {} : { authorization: `Bearer ${init.key ?? 'dk'}` }),
    },
  });

test('Daily: auth errors, name rules, conflicts, exp in the past and not-found answer with Daily error bodies', async () => {
  assert.deepEqual(await (await dailyCall('/rooms', { method: 'POST', body: '{}', key: null })).json(), {
    error: 'authorization-header-error',
    info: 'Authorization header missing or malformed',
  });
  const wrong = await dailyCall('/rooms', { method: 'POST', body: '{}', key: 'nope' });
  assert.equal(wrong.status, 401);
  assert.equal(((await wrong.json()) as { error: string }).error, 'authentication-error');
  assert.equal(
    (await dailyCall('/rooms', { method: 'POST', body: JSON.stringify({ name: 'bad name!' }) })).status,
    400,
  );
  assert.equal((await dailyCall('/rooms', { method: 'POST', body: '{not json' })).status, 400);
  const past = await dailyCall('/rooms', {
    method: 'POST',
    body: JSON.stringify({ name: 'old', properties: { exp: 1000 } }),
  });
  assert.deepEqual(await past.json(), { error: 'invalid-request-error', info: 'exp was in the past' });
  assert.equal(
    (await dailyCall('/rooms', { method: 'POST', body: JSON.stringify({ name: 'r1' }) })).status,
    200,
  );
  assert.deepEqual(
    await (await dailyCall('/rooms', { method: 'POST', body: JSON.stringify({ name: 'r1' }) })).json(),
    { error: 'invalid-request-error', info: 'a room named r1 already exists' },
  );
  assert.deepEqual(await (await dailyCall('/rooms/nope')).json(), {
    error: 'not-found',
    info: 'room nope not found',
  });
  assert.deepEqual(await (await dailyCall('/rooms/r1', { method: 'DELETE' })).json(), {
    deleted: true,
    name: 'r1',
  });
  assert.equal((await dailyCall('/rooms/r1', { method: 'DELETE' })).status, 404);
});

test('Daily: the service client creates private rooms; meeting tokens are JWTs the room page checks', async () => {
  const client = createDailyClient({ apiKey: 'dk', apiBaseUrl: daily.apiBaseUrl, timeoutMs: 2000 });
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const room = await client.createRoom({
    name: 'lesson-x',
    privacy: 'private',
    properties: { exp, enable_emoji_reactions: true },
  });
  assert.equal(room.url, `${daily.url}/lesson-x`);
  await assert.rejects(
    client.createRoom({ name: 'lesson-x', privacy: 'private', properties: {} }),
    (e: ProviderError) => e.kind === 'conflict',
  );
  const token = await client.createMeetingToken({
    room_name: 'lesson-x',
    user_name: 'Ada',
    user_id: 'u1',
    is_owner: true,
    exp,
  });
  assert.deepEqual(
    { ...daily.decodeMeetingToken(token), iat: 0 },
    { room_name: 'lesson-x', user_name: 'Ada', user_id: 'u1', is_owner: true, exp, iat: 0 },
  );
  assert.equal((await fetch(room.url)).status, 403, 'a private room needs a token');
  const joined = await fetch(`${room.url}?t=${token}`);
  assert.equal(joined.status, 200);
  assert.match(await joined.text(), /You joined as Ada \(owner\)/);
  assert.equal((await fetch(`${room.url}?t=${token}x`)).status, 403);
  daily.clock.advance(2 * 3600_000);
  assert.equal((await fetch(`${room.url}?t=${token}`)).status, 403, 'an expired token is refused');
  daily.clock.advance(-2 * 3600_000);
  const limited = daily.faults.add({
    route: 'GET /v1/rooms/:name',
    room: 'lesson-x',
    status: 429,
    firstN: 1,
  });
  await assert.rejects(
    client.getRoom('lesson-x'),
    (e: ProviderError) => e.kind === 'transient' && e.status === 429,
  );
  daily.faults.remove(limited);
  assert.equal((await client.getRoom('lesson-x')).name, 'lesson-x');
});

test('Daily: a user_name is shown as text on the join page, never run as HTML', async () => {
  const client = createDailyClient({ apiKey: 'dk', apiBaseUrl: daily.apiBaseUrl, timeoutMs: 2000 });
  const room = await client.createRoom({ name: 'lesson-html', privacy: 'private', properties: {} });
  const userName = '<script>alert(1)</script> & "Bob"';
  const token = await client.createMeetingToken({ room_name: 'lesson-html', user_name: userName });
  const page = await (await fetch(`${room.url}?t=${token}`)).text();
  assert.doesNotMatch(page, /<script>/);
  assert.match(page, /You joined as &lt;script&gt;alert\(1\)&lt;\/script&gt; &amp; &quot;Bob&quot;\./);
});

const message = {
  to: { email: 'sam@example.com', name: 'Sam' },
  subject: 'Hello',
  text: 'plain',
  html: '<p>html</p>',
};
const mailer = (apiKey = 'SG.good', from = 'lessons@example.com', sandbox = false) =>
  createSendGridMailer({
    apiKey,
    baseUrl: sendgrid.apiBaseUrl,
    from: { email: from, name: 'Lessons' },
    sandbox,
    timeoutMs: 2000,
  });

test('SendGrid through @sendgrid/mail: 202 with a message id into the outbox, 200 in sandbox mode and kept out', async () => {
  const before = sendgrid.outboxTotal();
  const { messageId } = await mailer().send({
    ...message,
    attachments: [{ filename: 'lesson.ics', type: 'text/calendar', content: 'BEGIN:VCALENDAR' }],
  });
  assert.ok(messageId);
  const [last] = sendgrid.outbox().slice(-1);
  assert.equal(last?.subject, 'Hello');
  assert.equal(last?.attachments[0]?.content, 'BEGIN:VCALENDAR');
  await mailer('SG.good', 'lessons@example.com', true).send(message);
  assert.equal(sendgrid.outboxTotal(), before + 1, 'sandbox mail is not delivered');
  const page = await (await fetch(sendgrid.outboxUrl)).text();
  assert.match(page, /Hello/);
  assert.equal((await fetch(`${sendgrid.outboxUrl}/${last?.id}`)).status, 200);
});

test('SendGrid: bad key 401, unverified sender 403, invalid body 400, 429 with rate-limit headers, oversize 413', async () => {
  await assert.rejects(
    mailer('SG.bad').send(message),
    (e: ProviderError) =>
      e.status === 401 && e.kind === 'transient' && /authorization grant is invalid/.test(e.message),
  );
  await assert.rejects(
    mailer('SG.good', 'other@example.com').send(message),
    (e: ProviderError) => e.status === 403,
  );
  await assert.rejects(
    mailer().send({ ...message, to: { email: 'not-an-email' } }),
    (e: ProviderError) => e.status === 400 && /valid address/.test(e.message),
  );
  const fault = sendgrid.faults.add({ route: 'POST /v3/mail/send', status: 429, firstN: 1 });
  const raw = await fetch(`${sendgrid.apiBaseUrl}/v3/mail/send`, {
    method: 'POST',
    headers: { authorization: 'Bearer SG.good', 'content-type': 'application/json' },
    body: '{}',
  });
  sendgrid.faults.remove(fault);
  assert.equal(raw.status, 429);
  assert.equal(raw.headers.get('x-ratelimit-remaining'), '0');
  assert.ok(Number(raw.headers.get('x-ratelimit-reset')) > Date.now() / 1000 - 1);
  assert.deepEqual(await raw.json(), { errors: [{ message: 'too many requests', field: null, help: null }] });
  const big = await fetch(`${sendgrid.apiBaseUrl}/v3/mail/send`, {
    method: 'POST',
    headers: { authorization: 'Bearer SG.good', 'content-type': 'application/json' },
    body: 'x'.repeat(31 * 1024 * 1024),
  });
  assert.equal(big.status, 413);
});
