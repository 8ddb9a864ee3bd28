import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { KeyRing } from '../crypto/key-ring';
import type { PayloadEncryptionEnv } from './env';

/** Metadata of an encrypted payload; Temporal's `encoding` key tells the SDKs how to read it. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const ENCODING_BYTES = Buffer.from(ENCRYPTED_ENCODING);
// Binds the ciphertext to its purpose: a token column's value can't be passed off as a payload.
const AAD = Buffer.from('temporal-payload');

const PayloadProto = temporal.api.common.v1.Payload;

/**
 * AES-256-GCM over each whole payload (metadata and data), as Temporal's encryption sample does:
 * the result carries only the encoding and the key id in clear. Payloads it did not encrypt (histories
 * written before the codec) pass through, so they still replay and show.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const { keyId, sealed } = this.keys.sealBytes(PayloadProto.encode(payload).finish(), AAD);
      return {
        metadata: { encoding: ENCODING_BYTES, [KEY_ID_METADATA]: Buffer.from(keyId) },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!isEncrypted(payload)) return payload;
      const keyId = Buffer.from(payload.metadata?.[KEY_ID_METADATA] ?? []).toString();
      const plain = this.keys.openBytes(keyId, payload.data ?? new Uint8Array(), AAD, 'a Temporal payload');
      return PayloadProto.decode(plain);
    });
  }
}

export function isEncrypted(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && Buffer.from(encoding).equals(ENCODING_BYTES);
}

export function payloadKeyRing(env: PayloadEncryptionEnv): KeyRing {
  return new KeyRing(env.PAYLOAD_ENCRYPTION_KEY, env.PAYLOAD_ENCRYPTION_OLD_KEYS, {
    current: 'PAYLOAD_ENCRYPTION_KEY',
    old: 'PAYLOAD_ENCRYPTION_OLD_KEYS',
  });
}
