import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startDailyEmulator, type DailyEmulator } from '../../emulators/daily/emulator';
import { createDailyClient, type DailyClient } from '../../src/providers/daily/client';
import type { DailyConfig } from '../../src/providers/daily/env';
import { expectProviderError } from './expect-provider-error';

/** The service's Daily client against the Daily emulator: rooms, meeting tokens, every error kind, faults. */

const API_KEY = 'daily-api-key-value';
let daily: DailyEmulator;
let config: DailyConfig;
let client: DailyClient;

before(async () => {
  daily = await startDailyEmulator({ apiKey: API_KEY });
  config = { apiKey: API_KEY, apiBaseUrl: daily.apiBaseUrl, timeoutMs: 2000 };
  client = createDailyClient(config);
});
beforeEach(() => daily?.faults.clear());
after(async () => daily?.close());

/** Fixed once, so that a second ticking over between a call and its check can't fail a test. */
const baseSeconds = Math.floor(Date.now() / 1000);
const inHours = (hours: number) => baseSeconds + hours * 3600;

test('rooms: create private with properties, get, update its window, delete; then not-found', async () => {
  const room = await client.createRoom({
    name: 'lesson-1',
    privacy: 'private',
    properties: { nbf: inHours(1), exp: inHours(2), eject_at_room_exp: true, enable_hand_raising: true },
  });
  assert.equal(room.name, 'lesson-1');
  assert.equal(room.privacy, 'private');
  assert.equal(room.url, `${daily.url}/lesson-1`);
  assert.equal(room.config?.enable_hand_raising, true);
  assert.equal((await client.getRoom('lesson-1')).config?.exp, inHours(2));
  const updated = await client.updateRoom('lesson-1', { properties: { nbf: inHours(3), exp: inHours(4) } });
  assert.deepEqual([updated.config?.nbf, updated.config?.exp], [inHours(3), inHours(4)]);
  assert.equal(updated.config?.enable_hand_raising, true, 'an update keeps the other properties');
  await client.deleteRoom('lesson-1');
  await expectProviderError(client.deleteRoom('lesson-1'), {
    kind: 'not-found',
    status: 404,
    code: 'not-found',
  });
  await expectProviderError(client.getRoom('lesson-1'), { kind: 'not-found', status: 404 });
  await expectProviderError(client.updateRoom('lesson-1', { properties: {} }), { kind: 'not-found' });
});

test('a meeting token carries the identity; joinUrl opens the private room with it', async () => {
  const room = await client.createRoom({
    name: 'lesson-2',
    privacy: 'private',
    properties: { exp: inHours(2) },
  });
  const token = await client.createMeetingToken({
    room_name: 'lesson-2',
    user_name: 'Ada',
    user_id: 'u-1',
    is_owner: true,
    exp: inHours(2),
  });
  assert.deepEqual(
    { ...daily.decodeMeetingToken(token), iat: 0 },
    { room_name: 'lesson-2', user_name: 'Ada', user_id: 'u-1', is_owner: true, exp: inHours(2), iat: 0 },
  );
  const url = client.joinUrl(room.url, token);
  assert.equal(url, `${room.url}?t=${token}`);
  assert.equal((await fetch(room.url)).status, 403);
  assert.equal((await fetch(url)).status, 200);
});

test('errors: a name that exists is conflict; exp in the past and bad names are rejected', async () => {
  await client.createRoom({ name: 'lesson-3', privacy: 'private', properties: {} });
  const conflict = await expectProviderError(
    client.createRoom({ name: 'lesson-3', privacy: 'private', properties: {} }),
    { kind: 'conflict', status: 400, code: 'invalid-request-error' },
  );
  assert.match(conflict.message, /already exists/);
  await expectProviderError(
    client.createRoom({ name: 'lesson-4', privacy: 'private', properties: { exp: inHours(-1) } }),
    { kind: 'rejected', status: 400, code: 'invalid-request-error' },
  );
  await expectProviderError(client.createRoom({ name: 'bad name!', privacy: 'public', properties: {} }), {
    kind: 'rejected',
    status: 400,
  });
});

test('a wrong API key (401) waits for an operator (transient), and the key appears nowhere in the error', async () => {
  const wrong = createDailyClient({ ...config, apiKey: 'wrong-key-value' });
  await expectProviderError(
    wrong.getRoom('lesson-3'),
    { kind: 'transient', status: 401, code: 'authentication-error' },
    ['wrong-key-value', API_KEY],
  );
});

test('429 is transient: with Retry-After in seconds or as an ISO date, or without one', async () => {
  daily.faults.add({ route: 'POST /v1/rooms', status: 429, retryAfter: { seconds: 3 }, firstN: 1 });
  const seconds = await expectProviderError(
    client.createRoom({ name: 'lesson-5', privacy: 'private', properties: {} }),
    { kind: 'transient', status: 429, code: 'rate-limit-error' },
    [API_KEY],
  );
  assert.equal(seconds.retryAfterMs, 3000);
  daily.faults.add({
    route: 'DELETE /v1/rooms/:name',
    status: 429,
    retryAfter: { isoDateInSeconds: 20 },
    firstN: 1,
  });
  const iso = await expectProviderError(client.deleteRoom('lesson-3'), { kind: 'transient', status: 429 });
  assert.ok(iso.retryAfterMs !== undefined && iso.retryAfterMs > 15_000 && iso.retryAfterMs <= 20_000);
  daily.faults.add({ route: 'GET /v1/rooms/:name', status: 429, firstN: 1 });
  const bare = await expectProviderError(client.getRoom('lesson-3'), { kind: 'transient', status: 429 });
  assert.equal(bare.retryAfterMs, undefined);
});

test('5xx, a hang past the timeout and a reset are transient', async () => {
  daily.faults.add({ route: 'POST /v1/meeting-tokens', status: 502, firstN: 1 });
  await expectProviderError(client.createMeetingToken({ room_name: 'lesson-3' }), {
    kind: 'transient',
    status: 502,
  });
  daily.faults.add({ route: 'GET /v1/rooms/:name', hang: 'before', firstN: 1 });
  const quick = createDailyClient({ ...config, timeoutMs: 150 });
  await expectProviderError(quick.getRoom('lesson-3'), { kind: 'transient', code: 'timeout' }, [API_KEY]);
  daily.faults.add({ route: 'POST /v1/rooms/:name', reset: 'after', firstN: 1 });
  await expectProviderError(
    client.updateRoom('lesson-3', { properties: { exp: inHours(5) } }),
    { kind: 'transient', status: undefined },
    [API_KEY],
  );
  assert.equal((await client.getRoom('lesson-3')).config?.exp, inHours(5), 'applied before the reset');
});

test('a 2xx body without a token or a room is invalid-response', async () => {
  daily.faults.add({ route: 'POST /v1/meeting-tokens', status: 200, body: {}, firstN: 1 });
  await expectProviderError(client.createMeetingToken({ room_name: 'lesson-3' }), {
    kind: 'invalid-response',
    status: 200,
  });
  daily.faults.add({ route: 'GET /v1/rooms/:name', status: 200, body: { name: 'x' }, firstN: 1 });
  await expectProviderError(client.getRoom('lesson-3'), { kind: 'invalid-response' });
});
