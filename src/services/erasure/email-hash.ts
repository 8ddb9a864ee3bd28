import { createHmac } from 'node:crypto';

/** Marks a ledger recipient that was erased: what follows is the keyed hash, never an address. */
export const HASHED_EMAIL_PREFIX = 'hmac-sha256:';

/**
 * The keyed hash an erased email address becomes in the email ledger. Its key is derived from
 * LINK_SIGNING_SECRET (one secret fewer to generate and deploy), under a label of its own, so a
 * hash is no signature of anything. Whoever holds the secret and an address can still answer
 * "was this address sent that email?"; a database dump alone can't turn hashes back into addresses.
 * Rotating LINK_SIGNING_SECRET changes the hashes made afterwards, not the stored ones.
 */
export function createEmailHasher(linkSigningSecret: string): (email: string) => string {
  const key = createHmac('sha256', linkSigningSecret).update('forget-person/email-ledger').digest();
  return (email) =>
    HASHED_EMAIL_PREFIX + createHmac('sha256', key).update(email.trim().toLowerCase()).digest('hex');
}
