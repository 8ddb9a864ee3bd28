import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';

/**
 * SendGrid's Signed Event Webhook, pure functions: `X-Twilio-Email-Event-Webhook-Signature` is a
 * base64 DER ECDSA (P-256, SHA-256) signature of the `X-Twilio-Email-Event-Webhook-Timestamp`
 * value followed by the raw body. The verification key is shown in SendGrid's mail settings as
 * base64 DER (SubjectPublicKeyInfo); a PEM is accepted too.
 */
export const SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

export function eventWebhookPublicKey(key: string): KeyObject {
  const trimmed = key.trim();
  return trimmed.startsWith('-----BEGIN')
    ? createPublicKey(trimmed)
    : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
}

export function verifyEventSignature(input: {
  publicKey: KeyObject;
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
}): boolean {
  const { signature, timestamp } = input;
  if (!signature || !timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  try {
    return createVerify('sha256')
      .update(timestamp)
      .update(input.rawBody)
      .verify(input.publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false; // a signature that is not DER at all
  }
}
