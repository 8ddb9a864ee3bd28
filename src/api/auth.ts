import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import {
  createPlatformJwtVerifier,
  type PlatformJwtSettings,
  type PlatformJwtVerifier,
} from '../services/zoom-connection/platform-auth';
import { addLogContext } from '../observability/log-context';
import { HttpError } from './http-error';

export function bearerToken(ctx: Context): string | undefined {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** Platform users on the API: built once per process from the PLATFORM_JWT_* settings and the clock. */
export interface PlatformAuth extends PlatformJwtVerifier {
  /** The user behind `Authorization: Bearer <platform JWT>` (never a query parameter), or a 401. */
  requireUser(ctx: Context): Promise<string>;
}

export function createPlatformAuth(settings: PlatformJwtSettings): PlatformAuth {
  const verifier = createPlatformJwtVerifier(settings);
  return {
    verify: verifier.verify,
    async requireUser(ctx) {
      const token = bearerToken(ctx);
      if (!token)
        throw new HttpError(401, 'unauthorized', 'Send the platform JWT as Authorization: Bearer <token>');
      const userId = await verifier.verify(token);
      if (!userId) throw new HttpError(401, 'unauthorized', 'The platform JWT is invalid or expired');
      addLogContext({ tutorId: userId });
      return userId;
    },
  };
}

/** The platform user behind the request, or 401 (the same as `auth.requireUser(ctx)`). */
export function requirePlatformUser(ctx: Context, auth: PlatformAuth): Promise<string> {
  return auth.requireUser(ctx);
}

/** Constant-time comparison of a presented secret (hashing first makes the lengths equal). */
export function sameSecret(presented: string, expected: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The booking system's token, checked in constant time. */
export function requireBookingToken(ctx: Context, expected: string): void {
  const token = bearerToken(ctx);
  if (!token || !sameSecret(token, expected)) {
    throw new HttpError(401, 'unauthorized', 'Send the booking API token as Authorization: Bearer <token>');
  }
}
