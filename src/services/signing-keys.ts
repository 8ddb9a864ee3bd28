import { hkdfSync } from 'node:crypto';

/** One key per purpose, derived from one secret, so a token minted for one use can't pass for another. */
export type KeyPurpose = 'oauth-state' | 'zoom-reconnect' | 'join-link' | 'zoom-confirm-page';

// Derived once per secret and purpose: every join link and state cookie needs one.
const derived = new Map<string, Uint8Array>();

export function deriveKey(secret: string, purpose: KeyPurpose): Uint8Array {
  const id = `${purpose}\n${secret}`;
  let key = derived.get(id);
  if (!key)
    derived.set(id, (key = new Uint8Array(hkdfSync('sha256', secret, 'tutor-meetings', purpose, 32))));
  return key;
}
