import { hkdfSync } from 'node:crypto';

/** One key per purpose, derived from one secret, so a token minted for one use can't pass for another. */
export type KeyPurpose = 'oauth-state' | 'zoom-reconnect' | 'join-link';

export function deriveKey(secret: string, purpose: KeyPurpose): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', secret, 'tutor-meetings', purpose, 32));
}
