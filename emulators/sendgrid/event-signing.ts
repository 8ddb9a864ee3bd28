import { createSign, type KeyObject } from 'node:crypto';

/**
 * How SendGrid signs its Event Webhook, written from the contract rather than borrowed from the
 * service's verifier (a shared bug would then pass both sides): ECDSA P-256 over SHA-256 of the
 * timestamp header's value followed by the raw body, sent as base64 DER.
 */
export const EVENT_SIGNATURE_HEADER = 'X-Twilio-Email-Event-Webhook-Signature';
export const EVENT_TIMESTAMP_HEADER = 'X-Twilio-Email-Event-Webhook-Timestamp';

export function signEventBatch(privateKey: KeyObject, timestamp: string, rawBody: string | Buffer): string {
  const signer = createSign('SHA256');
  signer.update(Buffer.concat([Buffer.from(timestamp, 'utf8'), Buffer.from(rawBody)]));
  return signer.sign({ key: privateKey, dsaEncoding: 'der' }).toString('base64');
}
