import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Clock } from '../../clock';
import type { NoncesStore } from '../../db/stores/nonces-store';
import type { ConnectFlow, CallbackOutcome } from '../../services/zoom-connection/connect-flow';
import { STATE_COOKIE } from '../../services/zoom-connection/oauth-state';
import { checkReconnectToken } from '../../services/zoom-connection/reconnect-token';
import type { ZoomTokenService } from '../../services/zoom-connection/token-service';
import { requirePlatformUser, type PlatformAuth } from '../auth';
import { HttpError } from '../http-error';
import { addLogContext } from '../../observability/log-context';
import { defineRoute, mount, type ApiArea } from '../route';

export interface ZoomIntegrationDeps {
  connectFlow: ConnectFlow;
  tokenService: ZoomTokenService;
  nonces: NoncesStore;
  clock: Clock;
  platformAuth: PlatformAuth;
  linkSigningSecret: string;
  platformRedirectUrl?: string;
  secureCookies: boolean;
  /** Moves the tutor's upcoming Zoom lessons to Daily after a disconnect. */
  onDisconnected(userId: string): Promise<void>;
}

const errorBody = z.object({ error: z.string(), message: z.string() });

const connect = defineRoute({
  method: 'get',
  path: '/integrations/zoom/connect',
  summary: "Steps 1–2: send the tutor to Zoom's consent screen",
  tag: 'zoom',
  query: z
    .object({ token: z.string().min(1).optional(), reconnect: z.string().min(1).optional() })
    .refine((q) => Boolean(q.token) !== Boolean(q.reconnect), {
      message: 'send exactly one of token (platform JWT) or reconnect',
    }),
  responses: {
    302: { description: "redirect to Zoom's consent screen" },
    400: { description: 'bad input', schema: errorBody },
    401: { description: 'bad token', schema: errorBody },
  },
});

const callback = defineRoute({
  method: 'get',
  path: '/integrations/zoom/callback',
  summary: 'Steps 3–5: Zoom comes back with a code; tokens are exchanged and stored',
  tag: 'zoom',
  query: z.object({
    code: z.string().optional(),
    state: z.string().optional(),
    error: z.string().optional(),
  }),
  responses: {
    200: {
      description: 'connected (no PLATFORM_REDIRECT_URL)',
      schema: z.object({ connected: z.literal(true), email: z.string().nullable() }),
    },
    302: { description: 'back to the platform with ?zoom=connected or ?zoom=error&reason=…' },
    400: { description: 'refused, with the reason (no PLATFORM_REDIRECT_URL)', schema: errorBody },
  },
});

const status = defineRoute({
  method: 'get',
  path: '/integrations/zoom',
  summary: 'isZoomConnected, for the tutor behind the platform JWT',
  tag: 'zoom',
  security: 'platformJwt',
  responses: {
    200: {
      description: 'the connection',
      schema: z.object({
        connected: z.boolean(),
        email: z.string().nullable(),
        reconnectionAttempts: z.number(),
      }),
    },
    401: { description: 'bad token', schema: errorBody },
  },
});

const disconnect = defineRoute({
  method: 'delete',
  path: '/integrations/zoom',
  summary: 'Disconnect Zoom: revoke at Zoom, delete the tokens, move upcoming lessons to Daily',
  tag: 'zoom',
  security: 'platformJwt',
  callsTemporal: true,
  responses: {
    204: { description: 'disconnected (or was not connected)' },
    401: { description: 'bad token', schema: errorBody },
  },
});

export function createZoomIntegrationArea(deps: ZoomIntegrationDeps): ApiArea {
  const router = new Router();
  const setStateCookie = (ctx: Context, value: string, maxAgeMs: number): void => {
    // The scheme comes from PUBLIC_BASE_URL, not from how the request reached us: behind a proxy
    // that ends TLS and sends no X-Forwarded-Proto, the request is plain http, yet the browser's is not.
    if (deps.secureCookies) ctx.cookies.secure = true;
    ctx.cookies.set(STATE_COOKIE, value, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.secureCookies,
      path: '/integrations/zoom',
      overwrite: true,
      maxAge: maxAgeMs,
    });
  };

  function finish(ctx: Context, outcome: CallbackOutcome): void {
    setStateCookie(ctx, '', 0);
    if (deps.platformRedirectUrl) {
      const target = new URL(deps.platformRedirectUrl);
      target.searchParams.set('zoom', outcome.ok ? 'connected' : 'error');
      if (!outcome.ok) target.searchParams.set('reason', outcome.reason);
      ctx.redirect(target.toString());
      return;
    }
    if (!outcome.ok)
      throw new HttpError(
        400,
        outcome.reason,
        `Zoom was not connected: ${outcome.reason.replace(/_/g, ' ')}`,
      );
    ctx.body = { connected: true, email: outcome.email };
  }

  mount(router, connect, async (ctx, { query }) => {
    const reconnectLink = query.reconnect
      ? await checkReconnectToken(query.reconnect, deps.linkSigningSecret, deps.nonces, deps.clock.now())
      : undefined;
    const userId = query.token ? await deps.platformAuth.verify(query.token) : reconnectLink?.userId;
    if (!userId)
      throw new HttpError(
        401,
        'unauthorized',
        query.token
          ? 'The platform JWT is invalid or expired'
          : 'The reconnect link is invalid, expired or already used',
      );
    addLogContext({ tutorId: userId });
    const started = await deps.connectFlow.start(userId, reconnectLink);
    setStateCookie(ctx, started.cookie, started.maxAgeSeconds * 1000);
    ctx.redirect(started.redirectUrl);
  });

  mount(router, callback, async (ctx, { query }) => {
    finish(ctx, await deps.connectFlow.complete({ cookie: ctx.cookies.get(STATE_COOKIE), ...query }));
  });

  mount(router, status, async (ctx) => {
    const userId = await requirePlatformUser(ctx, deps.platformAuth);
    const connection = await deps.tokenService.getConnection(userId);
    ctx.body = {
      connected: Boolean(connection),
      email: connection?.email ?? null,
      reconnectionAttempts: connection?.reconnectionAttempts ?? 0,
    };
  });

  mount(router, disconnect, async (ctx) => {
    const userId = await requirePlatformUser(ctx, deps.platformAuth);
    await deps.tokenService.disconnect(userId);
    // Even when no token was left: a retry after a try that deleted it and then failed to move
    // the lessons must still move them. With no Zoom lesson this is one read.
    await deps.onDisconnected(userId);
    ctx.status = 204;
  });

  return { router, routes: [connect, callback, status, disconnect] };
}
