import { createHash, randomBytes } from 'node:crypto';

/**
 * The ids that open a connect session and confirm a pending grant: 256 random bits, handed out
 * once and stored only as a hash, so that a database read cannot replay them.
 */
export const newOneTimeSecret = (): string => randomBytes(32).toString('base64url');

export const hashOneTimeSecret = (secret: string): string =>
  createHash('sha256').update(secret).digest('base64url');
