import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import { z } from 'zod';
import { classifyDaily } from '../../src/providers/daily/client';
import { parseAnswer, redactSecrets, type ProviderResponse } from '../../src/providers/http';
import {
  isConflict,
  isDailyLimit,
  isInvalidConnection,
  isNotFound,
  isPermanent,
  isTransient,
  ProviderError,
} from '../../src/providers/provider-error';
import { sendgridError } from '../../src/providers/sendgrid/errors';
import { classifyZoom } from '../../src/providers/zoom/classify';

const response = (status: number, body: unknown, headers: Record<string, string> = {}): ProviderResponse => ({
  status,
  body,
  headers: new Headers(headers),
  provider: 'zoom',
  call: 'GET /x',
});

test('Zoom: 124, 1001 and invalid_grant are a dead connection; 3001 is gone; other client errors are rejected', () => {
  const zoom = (status: number, body: unknown) => classifyZoom(response(status, body));
  assert.deepEqual(zoom(401, { code: 124, message: 'Invalid access token.' }), {
    kind: 'invalid-connection',
    code: 124,
    message: 'Invalid access token.',
  });
  assert.equal(zoom(404, { code: 1001, message: 'User does not exist: x' }).kind, 'invalid-connection');
  assert.deepEqual(zoom(400, { reason: 'Invalid Token!', error: 'invalid_grant' }), {
    kind: 'invalid-connection',
    code: 'invalid_grant',
    message: 'Invalid Token!',
  });
  assert.equal(
    zoom(400, { reason: 'Invalid authorization code', error: 'invalid_grant' }).kind,
    'invalid-connection',
  );
  assert.equal(zoom(404, { code: 3001, message: 'Meeting does not exist: 1.' }).kind, 'not-found');
  assert.equal(zoom(400, { code: 300, message: 'Validation Failed.' }).kind, 'rejected');
  assert.equal(zoom(400, { code: 200, message: 'No permission.' }).kind, 'rejected');
  assert.equal(
    zoom(401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' }).kind,
    'transient',
    'our own credentials refused: an operator mends it, no tutor pays for it',
  );
  assert.equal(zoom(400, { reason: 'Bad request', error: 'invalid_request' }).kind, 'rejected');
  assert.equal(zoom(400, '<html>bad gateway</html>').kind, 'rejected');
});

test("Zoom 429: the daily create/update limit is flagged (by header, else by message); the per-second one isn't", () => {
  const daily = 'You have exceeded the daily rate limit (100) of Meeting Create/Update API requests …';
  const perSecond = 'You have reached the maximum per-second rate limit for this API. Try again later.';
  const byHeader = classifyZoom(
    response(429, { code: 429, message: 'x' }, { 'x-ratelimit-type': 'Daily-limit' }),
  );
  assert.equal(byHeader.dailyLimit, true);
  assert.equal(byHeader.kind, 'transient');
  assert.equal(classifyZoom(response(429, { code: 429, message: daily })).dailyLimit, true);
  assert.equal(
    classifyZoom(response(429, { code: 429, message: perSecond }, { 'x-ratelimit-type': 'QPS' })).dailyLimit,
    false,
  );
  assert.equal(classifyZoom(response(429, { code: 429, message: perSecond })).dailyLimit, false);
});

test('Daily: not-found, name conflicts, a refused API key transient, and the other client errors rejected', () => {
  const daily = (status: number, body: unknown) => classifyDaily(response(status, body));
  assert.equal(daily(404, { error: 'not-found', info: 'room x not found' }).kind, 'not-found');
  assert.deepEqual(daily(400, { error: 'invalid-request-error', info: 'a room named x already exists' }), {
    kind: 'conflict',
    code: 'invalid-request-error',
    message: 'a room named x already exists',
  });
  assert.equal(daily(400, { error: 'invalid-request-error', info: 'exp was in the past' }).kind, 'rejected');
  // A refused API key waits for an operator, as SendGrid's does: no lesson fails over it.
  assert.equal(daily(401, { error: 'authentication-error', info: 'Invalid API key' }).kind, 'transient');
  assert.equal(daily(403, { error: 'forbidden-error', info: 'not allowed' }).kind, 'transient');
  assert.equal(daily(400, { error: 'authorization-header-error' }).kind, 'transient');
  assert.equal(daily(400, { error: 'json-parsing-error' }).kind, 'rejected');
});

test('ProviderError helpers tell the kinds apart; only transient ones are worth a retry', () => {
  const make = (kind: ProviderError['kind'], dailyLimit?: boolean) =>
    new ProviderError({ provider: 'zoom', kind, message: 'm', dailyLimit });
  assert.ok(isTransient(make('transient')) && !isPermanent(make('transient')));
  for (const kind of ['invalid-connection', 'not-found', 'conflict', 'rejected', 'invalid-response'] as const)
    assert.ok(isPermanent(make(kind)) && !isTransient(make(kind)), kind);
  assert.ok(isInvalidConnection(make('invalid-connection')) && !isInvalidConnection(make('not-found')));
  assert.ok(isNotFound(make('not-found')) && isConflict(make('conflict')));
  assert.ok(isDailyLimit(make('transient', true)) && !isDailyLimit(make('transient')));
  assert.ok(!isTransient(new Error('plain')) && !isPermanent(new Error('plain')));
  assert.equal(make('transient').message, 'zoom: m');
});

test('an unreadable 2xx body is invalid-response, naming fields but never their values', () => {
  const schema = z.object({ access_token: z.string(), expires_in: z.number() });
  assert.throws(
    () => parseAnswer(schema, response(200, { access_token: 42, expires_in: 'secret-value-123' })),
    (e: ProviderError) =>
      e.kind === 'invalid-response' &&
      /access_token/.test(e.message) &&
      /expires_in/.test(e.message) &&
      !e.message.includes('secret-value-123'),
  );
});

test('redaction removes every secret we sent and bounds the length', () => {
  assert.equal(redactSecrets('bad token abcd-1234 given', ['abcd-1234']), 'bad token [redacted] given');
  assert.ok(redactSecrets('x'.repeat(1000), []).length <= 301);
});

const apiKey = 'SG.secret-key-value';
const leaks = (error: unknown) =>
  inspect(error, { depth: 10, showHidden: true }).includes(apiKey) || JSON.stringify(error).includes(apiKey);

test('SendGrid: a ResponseError carrying the Authorization header becomes a clean error', () => {
  const raw = Object.assign(new Error('Unauthorized'), {
    code: 401,
    config: { headers: { Authorization: `Bearer ${apiKey}` } },
    request: { _header: `POST /v3/mail/send\r\nAuthorization: Bearer ${apiKey}` },
    response: {
      headers: {},
      body: {
        errors: [
          { message: 'The provided authorization grant is invalid, expired, or revoked', field: null },
        ],
      },
    },
  });
  assert.ok(leaks(raw), 'the raw error does leak');
  const error = sendgridError(raw, [apiKey]);
  assert.equal(error.kind, 'transient', 'our account refused: the email waits for an operator');
  assert.equal(error.code, 'account-refused');
  assert.equal(error.status, 401);
  assert.match(error.message, /authorization grant is invalid/);
  assert.equal(error.cause, undefined);
  assert.ok(!leaks(error));
  const echoed = sendgridError(
    { code: 400, response: { body: { errors: [{ message: `bad key ${apiKey}` }] } } },
    [apiKey],
  );
  assert.ok(!leaks(echoed));
});

test('SendGrid: 429 and 5xx are transient with the delay; network errors transient; local refusals rejected', () => {
  const now = 1_700_000_000_000;
  const limited = sendgridError(
    { code: 429, response: { headers: { 'retry-after': '7' }, body: {} } },
    [],
    now,
  );
  assert.deepEqual([limited.kind, limited.retryAfterMs], ['transient', 7000]);
  const reset = sendgridError(
    { code: 429, response: { headers: { 'x-ratelimit-reset': String(now / 1000 + 3) } } },
    [],
    now,
  );
  assert.equal(reset.retryAfterMs, 3000);
  assert.equal(sendgridError({ code: 503, response: {} }).kind, 'transient');
  const timeout = sendgridError(
    Object.assign(new Error('timeout of 50ms exceeded'), { code: 'ECONNABORTED', isAxiosError: true }),
  );
  assert.deepEqual([timeout.kind, timeout.code], ['transient', 'timeout']);
  assert.deepEqual(
    [sendgridError({ code: 'ECONNRESET' }).kind, sendgridError({ code: 'ECONNRESET' }).code],
    ['transient', 'ECONNRESET'],
  );
  assert.equal(sendgridError(new Error('Provide at least one of to, cc or bcc')).kind, 'rejected');
});
