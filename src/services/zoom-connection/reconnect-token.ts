import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { NoncesStore } from '../../db/stores/nonces-store';
import { deriveKey } from '../signing-keys';

/** The link in a ReconnectZoom email: signed, expires in 7 days, and works once. */
export const RECONNECT_TOKEN_TTL_SECONDS = 7 * 24 * 3600;

export async function createReconnectToken(userId: string, secret: string, now: Date): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ purpose: 'zoom-reconnect' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setJti(randomBytes(16).toString('base64url'))
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + RECONNECT_TOKEN_TTL_SECONDS)
    .sign(deriveKey(secret, 'zoom-reconnect'));
}

/** The user id, or undefined when the token is bad, expired or already used. */
export async function redeemReconnectToken(
  token: string,
  secret: string,
  nonces: NoncesStore,
  now: Date,
): Promise<string | undefined> {
  try {
    const { payload } = await jwtVerify(token, deriveKey(secret, 'zoom-reconnect'), {
      algorithms: ['HS256'],
      currentDate: now,
    });
    if (
      payload.purpose !== 'zoom-reconnect' ||
      typeof payload.sub !== 'string' ||
      typeof payload.jti !== 'string'
    )
      return undefined;
    const expiresAt = new Date((payload.exp ?? 0) * 1000);
    return (await nonces.useOnce(payload.jti, 'reconnect', expiresAt)) ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}
