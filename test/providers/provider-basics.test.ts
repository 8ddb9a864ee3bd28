import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { classifyDaily } from '../../src/providers/daily/client';
import { parseRetryAfter } from '../../src/providers/http';
import { toProviderError } from '../../src/providers/sendgrid/mailer';
import { classifyZoom } from '../../src/providers/zoom/classify';
import {
  encryptPlainToken,
  signWebhook,
  verifyLegacyToken,
  verifyWebhookSignature,
} from '../../src/providers/zoom/webhook-signature';

const response = (status: number, body: unknown) => ({ status, body, headers: new Headers() });

test('Retry-After in seconds, as an ISO date and as an HTTP date', () => {
  const now = Date.parse('2026-11-24T23:59:00Z');
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter('2026-11-25T00:00:00Z', now), 60_000);
  assert.equal(parseRetryAfter('Wed, 25 Nov 2026 00:00:00 GMT', now), 60_000);
  assert.equal(parseRetryAfter('2026-11-24T00:00:00Z', now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('Zoom errors: 124/1001/invalid_grant are a dead connection, 3001 is gone, others rejected', () => {
  assert.equal(
    classifyZoom(response(401, { code: 124, message: 'Invalid access token.' })).kind,
    'invalid-connection',
  );
  assert.equal(
    classifyZoom(response(404, { code: 1001, message: 'User does not exist' })).kind,
    'invalid-connection',
  );
  assert.equal(
    classifyZoom(response(400, { reason: 'Invalid Token!', error: 'invalid_grant' })).kind,
    'invalid-connection',
  );
  assert.equal(
    classifyZoom(response(404, { code: 3001, message: 'Meeting does not exist: 1.' })).kind,
    'not-found',
  );
  assert.equal(classifyZoom(response(400, { code: 300, message: 'Validation Failed.' })).kind, 'rejected');
  assert.equal(
    classifyZoom(response(401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' }))
      .kind,
    'rejected',
  );
});

test('Daily errors: not-found, name conflicts, and the rest rejected', () => {
  assert.equal(
    classifyDaily(response(404, { error: 'not-found', info: 'room x not found' })).kind,
    'not-found',
  );
  assert.equal(
    classifyDaily(response(400, { error: 'invalid-request-error', info: 'a room named x already exists' }))
      .kind,
    'conflict',
  );
  assert.equal(
    classifyDaily(response(400, { error: 'invalid-request-error', info: 'exp was in the past' })).kind,
    'rejected',
  );
});

test('a SendGrid failure becomes a clean error that carries no API key', () => {
  const apiKey = 'SG.secret-key-value';
  const raw = Object.assign(new Error('Unauthorized'), {
    code: 401,
    config: { headers: { Authorization: `Bearer ${apiKey}` } },
    response: {
      headers: {},
      body: {
        errors: [
          { message: 'The provided authorization grant is invalid, expired, or revoked', field: null },
        ],
      },
    },
  });
  const error = toProviderError(raw);
  assert.equal(error.kind, 'rejected');
  assert.equal(error.status, 401);
  assert.ok(!inspect(error, { depth: 10 }).includes(apiKey));
  assert.ok(!JSON.stringify(error).includes(apiKey));
  const limited = toProviderError({ code: 429, response: { headers: { 'retry-after': '7' }, body: {} } });
  assert.equal(limited.kind, 'transient');
  assert.equal(limited.retryAfterMs, 7000);
});

test('webhook signatures: good, bad, tampered body, stale, missing; legacy token; URL validation', () => {
  const secret = 'whsec';
  const body = Buffer.from('{"event":"app_deauthorized"}');
  const now = Date.parse('2026-11-24T12:00:00Z');
  const ts = String(now / 1000);
  const signature = signWebhook(secret, ts, body);
  assert.equal(
    verifyWebhookSignature({ secret, signature, timestamp: ts, rawBody: body, nowMs: now }),
    'valid',
  );
  assert.equal(
    verifyWebhookSignature({ secret: 'other', signature, timestamp: ts, rawBody: body, nowMs: now }),
    'bad-signature',
  );
  assert.equal(
    verifyWebhookSignature({
      secret,
      signature,
      timestamp: ts,
      rawBody: Buffer.from(`${body} `),
      nowMs: now,
    }),
    'bad-signature',
  );
  assert.equal(
    verifyWebhookSignature({ secret, signature, timestamp: ts, rawBody: body, nowMs: now + 301_000 }),
    'stale-timestamp',
  );
  assert.equal(
    verifyWebhookSignature({ secret, signature: undefined, timestamp: ts, rawBody: body }),
    'missing',
  );
  assert.equal(verifyLegacyToken('vt', 'vt'), true);
  assert.equal(verifyLegacyToken('vt', 'vx'), false);
  assert.equal(verifyLegacyToken(undefined, 'vt'), false);
  assert.match(encryptPlainToken(secret, 'plain'), /^[0-9a-f]{64}$/);
});
