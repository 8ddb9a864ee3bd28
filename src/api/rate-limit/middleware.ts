import type Koa from 'koa';
import { HttpError } from '../http-error';
import type { ApiArea } from '../route';
import { clientAddress, clientKey } from './client-address';
import type { Limiter, Verdict } from './limiter';
import { requestLimit, type LimitKind } from './policy';

export interface RateLimits {
  connectFlow: Limiter;
  joinLinkPerClient: Limiter;
  joinLinkPerLink: Limiter;
  webhookFailures: Limiter;
  trustedProxyHops: number;
}

function refuse(ctx: Koa.Context, verdict: Verdict): void {
  if (verdict.allowed) return;
  ctx.set('retry-after', String(verdict.retryAfterSeconds));
  throw new HttpError(
    429,
    'rate_limited',
    `Too many requests; try again in ${verdict.retryAfterSeconds} seconds`,
  );
}

/** A link is its lesson, its role and its signature: a forged link never uses up a real one's allowance. */
const linkKey = (ctx: Koa.Context, lessonId: string | undefined): string =>
  [lessonId, ctx.query.as, ctx.query.sig].map((part) => String(part ?? '')).join('\n');

/** Applies the limits of src/api/rate-limit/policy.ts; answers 429 with Retry-After over them. */
export function rateLimitMiddleware(areas: ApiArea[], limits: RateLimits): Koa.Middleware {
  const client = (ctx: Koa.Context): string =>
    clientKey(
      clientAddress(ctx.req.socket.remoteAddress, ctx.get('x-forwarded-for'), limits.trustedProxyHops),
    );
  const limitedBefore = async (ctx: Koa.Context, next: Koa.Next, kind: LimitKind, lessonId?: string) => {
    if (kind === 'joinLink') {
      const [perClient, perLink] = await Promise.all([
        limits.joinLinkPerClient.consume(client(ctx)),
        limits.joinLinkPerLink.consume(linkKey(ctx, lessonId)),
      ]);
      refuse(ctx, perClient);
      refuse(ctx, perLink);
    } else refuse(ctx, await limits.connectFlow.consume(client(ctx)));
    return next();
  };
  // Not async on the routes it leaves alone, nor for a verified webhook: the webhook figure is
  // measured against a bare route, and every extra promise shows there.
  return (ctx, next) => {
    const limit = requestLimit(areas, ctx.path, ctx.method);
    if (!limit) return next();
    if (limit.kind !== 'unverifiedWebhook')
      return limitedBefore(ctx, next, limit.kind, limit.params.lessonId);
    return next().catch(async (error: unknown) => {
      // Only a refused signature counts: a verified delivery never reaches the limiter.
      if (error instanceof HttpError && error.status === 401)
        refuse(ctx, await limits.webhookFailures.consume(client(ctx)));
      throw error;
    });
  };
}
