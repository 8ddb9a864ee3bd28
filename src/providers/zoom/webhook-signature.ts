import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Zoom webhook checks, pure functions: `x-zm-signature` is `v0=` + hex HMAC-SHA256 of
 * `v0:<timestamp>:<raw body>` with the app's secret token. Always over the raw bytes: a parsed and
 * re-serialised body can differ from what Zoom signed.
 */
export const MAX_SKEW_SECONDS = 5 * 60;

/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
function safeEqual(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b)) && a.length === b.length;
}

/**
 * Constant time over the content. The expected signature's length is public (`v0=` and 64 hex
 * digits), so a received one of another length is rejected at once, without hashing both sides.
 */
function sameSignature(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function signWebhook(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

export type SignatureVerdict = 'valid' | 'bad-signature' | 'stale-timestamp' | 'missing';

/** Checks the signature and that the timestamp is within MAX_SKEW_SECONDS of now (either way). */
export function verifyWebhookSignature(input: {
  secret: string;
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
  nowMs?: number;
  maxSkewSeconds?: number;
}): SignatureVerdict {
  if (!input.signature || !input.timestamp) return 'missing';
  if (!/^\d{1,12}$/.test(input.timestamp)) return 'stale-timestamp';
  const skew = Math.abs((input.nowMs ?? Date.now()) / 1000 - Number(input.timestamp));
  if (skew > (input.maxSkewSeconds ?? MAX_SKEW_SECONDS)) return 'stale-timestamp';
  return sameSignature(signWebhook(input.secret, input.timestamp, input.rawBody), input.signature)
    ? 'valid'
    : 'bad-signature';
}

/** The legacy `authorization` header: the app's verification token, compared in constant time. */
export function verifyLegacyToken(expected: string | undefined, received: string | undefined): boolean {
  return Boolean(expected && received && safeEqual(expected, received));
}

/** The `encryptedToken` answer to Zoom's `endpoint.url_validation` challenge. */
export function encryptPlainToken(secret: string, plainToken: string): string {
  return createHmac('sha256', secret).update(plainToken).digest('hex');
}
