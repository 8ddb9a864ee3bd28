import { createHmac, timingSafeEqual } from 'node:crypto';

/** Zoom signs `v0:<timestamp>:<raw body>` with the app's secret token (HMAC-SHA256, hex). */
export const MAX_SKEW_SECONDS = 5 * 60;

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function signWebhook(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(rawBody).digest('hex')}`;
}

export type SignatureVerdict = 'valid' | 'bad-signature' | 'stale-timestamp' | 'missing';

export function verifyWebhookSignature(input: {
  secret: string;
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
  nowMs?: number;
}): SignatureVerdict {
  if (!input.signature || !input.timestamp) return 'missing';
  if (!/^\d+$/.test(input.timestamp)) return 'stale-timestamp';
  const skew = Math.abs((input.nowMs ?? Date.now()) / 1000 - Number(input.timestamp));
  if (skew > MAX_SKEW_SECONDS) return 'stale-timestamp';
  return safeEqual(signWebhook(input.secret, input.timestamp, input.rawBody), input.signature)
    ? 'valid'
    : 'bad-signature';
}

/** The legacy `authorization` header: the app's verification token, compared in constant time. */
export function verifyLegacyToken(expected: string | undefined, received: string | undefined): boolean {
  return Boolean(expected && received && safeEqual(expected, received));
}

/** The answer to Zoom's `endpoint.url_validation` challenge. */
export function encryptPlainToken(secret: string, plainToken: string): string {
  return createHmac('sha256', secret).update(plainToken).digest('hex');
}
