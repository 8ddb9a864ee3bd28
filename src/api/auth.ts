import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { verifyPlatformJwt } from '../services/zoom-connection/platform-auth';
import { addLogContext } from '../observability/log-context';
import { HttpError } from './http-error';

function bearer(ctx: Context): string | undefined {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** The platform user behind `Authorization: Bearer <platform JWT>`, or 401. */
export async function requirePlatformUser(ctx: Context, secret: string): Promise<string> {
  const token = bearer(ctx);
  if (!token)
    throw new HttpError(401, 'unauthorized', 'Send the platform JWT as Authorization: Bearer <token>');
  const userId = await verifyPlatformJwt(token, secret);
  if (!userId) throw new HttpError(401, 'unauthorized', 'The platform JWT is invalid or expired');
  addLogContext({ tutorId: userId });
  return userId;
}

/** Constant-time check of the booking system's token (hashing first makes the lengths equal). */
export function requireBookingToken(ctx: Context, expected: string): void {
  const token = bearer(ctx);
  const digest = (v: string) => createHash('sha256').update(v).digest();
  if (!token || !timingSafeEqual(digest(token), digest(expected))) {
    throw new HttpError(401, 'unauthorized', 'Send the booking API token as Authorization: Bearer <token>');
  }
}
