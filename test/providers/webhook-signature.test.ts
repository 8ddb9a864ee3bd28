import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  encryptPlainToken,
  signWebhook,
  verifyLegacyToken,
  verifyWebhookSignature,
} from '../../src/providers/zoom/webhook-signature';

const secret = 'whsec';
const body = Buffer.from('{"event":"app_deauthorized"}');
const timestamp = '1700000000';
const nowMs = 1_700_000_000_000;
// Computed independently: printf 'v0:1700000000:{"event":"app_deauthorized"}' | openssl dgst -sha256 -hmac whsec
const signature = 'v0=8fe8f88de590cbded597b3a4061fd02e0ff761361070996f9748638af6c54335';
const verify = (over: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) =>
  verifyWebhookSignature({ secret, signature, timestamp, rawBody: body, nowMs, ...over });

test('a signature Zoom made over the raw body is valid, and signWebhook makes the same one', () => {
  assert.equal(signWebhook(secret, timestamp, body), signature);
  assert.equal(verify(), 'valid');
});

test('a wrong secret, a tampered body or a tampered signature is a bad signature', () => {
  assert.equal(verify({ secret: 'other' }), 'bad-signature');
  assert.equal(verify({ rawBody: Buffer.from('{"event":"app_deauthorized" }') }), 'bad-signature');
  assert.equal(verify({ rawBody: Buffer.from('{"event":"app_deauthorizeD"}') }), 'bad-signature');
  assert.equal(verify({ signature: signature.replace(/.$/, '6') }), 'bad-signature');
  assert.equal(verify({ signature: 'v0=short' }), 'bad-signature');
  // A re-serialised body is not what Zoom signed: spacing and key order matter.
  const reserialised = Buffer.from(JSON.stringify({ event: 'app_deauthorized' }, null, 1));
  assert.equal(verify({ rawBody: reserialised }), 'bad-signature');
});

test('timestamps more than 5 minutes off either way are stale; exactly 5 minutes is accepted', () => {
  assert.equal(verify({ nowMs: nowMs + 300_000 }), 'valid');
  assert.equal(verify({ nowMs: nowMs + 301_000 }), 'stale-timestamp');
  assert.equal(verify({ nowMs: nowMs - 301_000 }), 'stale-timestamp');
  assert.equal(verify({ timestamp: '1700000000.5' }), 'stale-timestamp');
  assert.equal(verify({ timestamp: 'abc' }), 'stale-timestamp');
});

test('a missing signature or timestamp is reported as missing', () => {
  assert.equal(verify({ signature: undefined }), 'missing');
  assert.equal(verify({ timestamp: undefined }), 'missing');
  assert.equal(verify({ signature: '' }), 'missing');
});

test('the legacy verification token: equal passes; different, absent or unconfigured fails', () => {
  assert.equal(verifyLegacyToken('vt-123', 'vt-123'), true);
  assert.equal(verifyLegacyToken('vt-123', 'vt-124'), false);
  assert.equal(verifyLegacyToken('vt-123', 'vt-1234'), false);
  assert.equal(verifyLegacyToken('vt-123', undefined), false);
  assert.equal(verifyLegacyToken(undefined, 'vt-123'), false);
  assert.equal(verifyLegacyToken('', ''), false);
});

test('the URL-validation answer is hex HMAC-SHA256 of the plain token', () => {
  // printf 'plain' | openssl dgst -sha256 -hmac whsec
  assert.equal(
    encryptPlainToken(secret, 'plain'),
    'fdd4b56a2af367a98f0b944e038d3e660fbf03b4cd02ffa9df693eae34d6ad02',
  );
});
