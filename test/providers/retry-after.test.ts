import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_RETRY_DELAY_MS,
  parseRateLimitReset,
  parseRetryAfter,
  retryDelayFromHeaders,
} from '../../src/providers/http';

const now = Date.parse('2026-11-24T23:59:00Z');

test('Retry-After in delay-seconds (Zoom per-second limit)', () => {
  assert.equal(parseRetryAfter('3', now), 3000);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter('1.5', now), 1500);
});

test("Retry-After as an ISO date (Zoom's daily limit), with Z, an offset or no zone (read as UTC)", () => {
  assert.equal(parseRetryAfter('2026-11-25T00:00:00Z', now), 60_000);
  assert.equal(parseRetryAfter('2026-11-25T01:00:00+01:00', now), 60_000);
  assert.equal(parseRetryAfter('2026-11-25T00:00:00', now), 60_000);
  assert.equal(parseRetryAfter('2026-11-25T00:00:00.500Z', now), 60_500);
});

test('Retry-After as an HTTP date: IMF-fixdate, RFC 850 and asctime', () => {
  assert.equal(parseRetryAfter('Wed, 25 Nov 2026 00:00:00 GMT', now), 60_000);
  assert.equal(parseRetryAfter('Wednesday, 25-Nov-26 00:00:00 GMT', now), 60_000);
  assert.equal(parseRetryAfter('Wed Nov 25 00:00:00 2026', now), 60_000);
});

test('a date in the past is clamped to 0; anything unreadable is undefined, not a guess', () => {
  assert.equal(parseRetryAfter('2026-11-24T00:00:00Z', now), 0);
  assert.equal(parseRetryAfter('Tue, 24 Nov 2026 00:00:00 GMT', now), 0);
  for (const value of ['-1', '1 2', 'soon', '12abc', '2026-11-25', '', '   ', null, undefined])
    assert.equal(parseRetryAfter(value, now), undefined, String(value));
});

test("SendGrid's X-RateLimit-Reset (epoch seconds) as a delay; Retry-After wins when both are there", () => {
  assert.equal(parseRateLimitReset(String(now / 1000 + 7), now), 7000);
  assert.equal(parseRateLimitReset(String(now / 1000 - 7), now), 0);
  assert.equal(parseRateLimitReset('soon', now), undefined);
  const headers = (h: Record<string, string>) => (name: string) => h[name];
  assert.equal(retryDelayFromHeaders(headers({ 'x-ratelimit-reset': String(now / 1000 + 2) }), now), 2000);
  assert.equal(
    retryDelayFromHeaders(headers({ 'retry-after': '5', 'x-ratelimit-reset': String(now / 1000 + 2) }), now),
    5000,
  );
  assert.equal(retryDelayFromHeaders(headers({}), now), undefined);
});

test('a provider asking for more than a day is waited for a day at most (a bogus value must not park a retry for good)', () => {
  const headers = (h: Record<string, string>) => (name: string) => h[name];
  assert.equal(retryDelayFromHeaders(headers({ 'retry-after': '99999999999' }), now), MAX_RETRY_DELAY_MS);
  assert.equal(
    retryDelayFromHeaders(headers({ 'retry-after': '2099-01-01T00:00:00' }), now),
    MAX_RETRY_DELAY_MS,
  );
  assert.equal(
    retryDelayFromHeaders(headers({ 'x-ratelimit-reset': String(now / 1000 + 10 * 86_400) }), now),
    MAX_RETRY_DELAY_MS,
  );
  assert.equal(MAX_RETRY_DELAY_MS, 24 * 3600_000);
  assert.equal(retryDelayFromHeaders(headers({ 'retry-after': '2026-11-25T00:00:00Z' }), now), 60_000);
});
