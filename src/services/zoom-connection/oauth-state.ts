import { randomBytes, timingSafeEqual } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { deriveKey } from '../signing-keys';

/**
 * The OAuth `state` and its browser binding. The state is random; the cookie carries it with the
 * PKCE verifier and the connect session, encrypted and authenticated (the verifier never shows), and
 * expires with the state after 10 minutes. The callback must present both.
 */
export const STATE_TTL_SECONDS = 10 * 60;
export const STATE_COOKIE = 'zoom_oauth_state';

export interface PendingConnection {
  state: string;
  codeVerifier: string;
  /** The connect session (its row id): it, not the browser, says whose grant this will be. */
  sessionId: string;
}

export function newState(): string {
  return randomBytes(24).toString('base64url');
}

export async function sealState(pending: PendingConnection, secret: string, now: Date): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new EncryptJWT({ ...pending })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + STATE_TTL_SECONDS)
    .encrypt(deriveKey(secret, 'oauth-state'));
}

export type StateCheck =
  | { ok: true; pending: PendingConnection }
  | { ok: false; reason: 'missing_state' | 'invalid_state' | 'expired_state' };

export async function openState(
  cookie: string | undefined,
  state: string | undefined,
  secret: string,
  now: Date,
): Promise<StateCheck> {
  if (!cookie || !state) return { ok: false, reason: 'missing_state' };
  try {
    const { payload } = await jwtDecrypt(cookie, deriveKey(secret, 'oauth-state'), { currentDate: now });
    const pending = payload as unknown as PendingConnection;
    const a = Buffer.from(pending.state ?? '');
    const b = Buffer.from(state);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'invalid_state' };
    return { ok: true, pending };
  } catch (error) {
    return {
      ok: false,
      reason: (error as { code?: string }).code === 'ERR_JWT_EXPIRED' ? 'expired_state' : 'invalid_state',
    };
  }
}
