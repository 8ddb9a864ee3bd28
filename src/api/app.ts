import Koa from 'koa';
import { randomUUID } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger';
import { withLogContext } from '../observability/log-context';
import { apiRequestMetrics } from '../observability/metrics';
import { isProviderError } from '../providers/provider-error';
import { isTemporalUnavailable } from '../temporal/unavailable';
import { HttpError } from './http-error';
import { noStoreOnConnectFlow } from './no-store';
import type { ApiArea } from './route';

/** Long enough for a Temporal frontend to restart; the client may retry sooner, at no harm. */
const TEMPORAL_RETRY_AFTER_SECONDS = 30;

/** The path as logs show it: a route whose path carries a credential set its template instead. */
const loggedPath = (ctx: Koa.Context): string =>
  (ctx.state as { loggedPath?: string }).loggedPath ?? ctx.path;

/**
 * Every error becomes JSON: a HttpError keeps its status; a provider's failure is a 502/503 with a
 * generic message; Temporal out of reach is a 503 with Retry-After (every route that calls it is
 * safe to repeat: it writes nothing before the call, or only what the repeat finds and completes);
 * anything unexpected is a logged 500 with no details.
 */
function errorHandler(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new HttpError(404, 'not_found', `No route for ${ctx.method} ${ctx.path}`);
      }
    } catch (error) {
      // Answered before the body came in full (a 401 before reading it, a 413): closing the
      // connection spares reading the rest, however large, which Node would do to reuse it.
      if (!ctx.req.complete) ctx.set('connection', 'close');
      if (error instanceof HttpError) {
        ctx.status = error.status;
        ctx.body = { error: error.code, message: error.message, ...error.details };
        return;
      }
      if (isTemporalUnavailable(error)) {
        logger.warn(
          { err: error, method: ctx.method, path: loggedPath(ctx) },
          'Temporal did not take the request',
        );
        ctx.status = 503;
        ctx.set('retry-after', String(TEMPORAL_RETRY_AFTER_SECONDS));
        ctx.body = {
          error: 'service_unavailable',
          message:
            'We could not reach our workflow service. Send the same request again later; repeating it is safe.',
        };
        return;
      }
      if (isProviderError(error)) {
        // The provider's status and message are about our call, not the client's request.
        logger.warn(
          { err: error, method: ctx.method, path: loggedPath(ctx) },
          'a provider failed the request',
        );
        ctx.status = error.transient ? 503 : 502;
        ctx.body = {
          error: 'provider_unavailable',
          message: 'A service we depend on did not answer as expected. Try again in a few minutes.',
        };
        return;
      }
      // Koa's own client errors (http-errors, e.g. the router's 405) mark themselves `expose`.
      const { status, expose } = error as { status?: number; expose?: boolean };
      if (expose === true && status && status >= 400 && status < 500) {
        ctx.status = status;
        ctx.body = { error: 'bad_request', message: (error as Error).message };
        return;
      }
      logger.error({ err: error, method: ctx.method, path: loggedPath(ctx) }, 'request failed');
      ctx.status = 500;
      ctx.body = { error: 'internal_error', message: 'Something went wrong on our side; it was logged.' };
    }
  };
}

function requestLog(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      logger.debug(
        {
          method: ctx.method,
          path: loggedPath(ctx),
          status: ctx.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    }
  };
}

export interface AppOptions {
  logger: Logger;
  areas: ApiArea[];
  middleware?: Koa.Middleware[];
  metrics?: Registry;
}

/**
 * Runs when no route answered. A path that exists answers OPTIONS with its methods and any other
 * method with a 405 and Allow; a method the API knows nothing of (PURGE, PROPFIND) is the client's
 * mistake too, so it never shows as a server error. An unknown path stays a 404.
 */
function unroutedRequest(areas: ApiArea[]): Koa.Middleware {
  return (ctx) => {
    const layers = areas.flatMap((area) => area.router.match(ctx.path, ctx.method).path);
    const allowed = [...new Set(layers.flatMap((layer) => layer.methods))];
    if (!allowed.length) return;
    ctx.set('allow', allowed.join(', '));
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    throw new HttpError(
      405,
      'method_not_allowed',
      `${ctx.method} is not allowed here; use ${allowed.join(', ')}`,
    );
  };
}

/** Every log line of a request carries its id; routes add the lesson or tutor they act on. */
const requestLogContext: Koa.Middleware = (ctx, next) => {
  const requestId = ctx.get('x-request-id').slice(0, 100) || randomUUID();
  ctx.set('x-request-id', requestId);
  return withLogContext({ requestId }, next);
};

/**
 * Every answer, errors too: no MIME sniffing, no Referer leaving our pages (join links carry their
 * signatures), and our few HTML pages (the join links' error pages) load nothing and frame nowhere.
 */
const securityHeaders: Koa.Middleware = (ctx, next) => {
  ctx.set({
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  return next();
};

export function createApp({ logger, areas, middleware = [], metrics }: AppOptions): Koa {
  // X-Forwarded-* are not trusted: anyone can send them. Links and cookies take the scheme from
  // PUBLIC_BASE_URL; only the rate limits need the client's address, and read it through
  // TRUSTED_PROXY_HOPS (src/api/rate-limit/client-address.ts).
  const app = new Koa({ proxy: false });
  app.use(securityHeaders);
  app.use(noStoreOnConnectFlow);
  app.use(requestLogContext);
  if (metrics) app.use(apiRequestMetrics(metrics));
  app.use(errorHandler(logger));
  app.use(requestLog(logger));
  for (const m of middleware) app.use(m);
  for (const area of areas) app.use(area.router.routes());
  app.use(unroutedRequest(areas));
  app.on('error', () => undefined); // errors are answered and logged by errorHandler
  return app;
}
