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

/** The link itself, for the ReconnectZoom email and a Zoom fallback's note to the tutor. */
export async function reconnectLink(
  userId: string,
  link: { secret: string; publicBaseUrl: string },
  now: Date,
): Promise<string> {
  const token = await createReconnectToken(userId, link.secret, now);
  return `${link.publicBaseUrl}/integrations/zoom/connect?reconnect=${token}`;
}

/** A reconnect link's grant: whose, and the nonce that makes it work once. */
export interface ReconnectGrant {
  userId: string;
  nonce: string;
  expiresAt: Date;
}

export const RECONNECT_NONCE_PURPOSE = 'reconnect';

/**
 * The link's grant, or undefined when it is bad, expired or already used. Opening the link does
 * not use it up: mail scanners open links before the tutor does. The reconnection that completes
 * does (connect-flow), so the link still works once.
 */
export async function checkReconnectToken(
  token: string,
  secret: string,
  nonces: NoncesStore,
  now: Date,
): Promise<ReconnectGrant | undefined> {
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
    if (await nonces.isUsed(payload.jti, RECONNECT_NONCE_PURPOSE)) return undefined;
    return { userId: payload.sub, nonce: payload.jti, expiresAt: new Date((payload.exp ?? 0) * 1000) };
  } catch {
    return undefined;
  }
}
