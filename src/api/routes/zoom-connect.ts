import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { Clock } from '../../clock';
import type { NoncesStore } from '../../db/stores/nonces-store';
import type { UsersStore } from '../../db/stores/users-store';
import type { ConnectFlow } from '../../services/zoom-connection/connect-flow';
import type { ConnectSessions } from '../../services/zoom-connection/connect-sessions';
import { STATE_COOKIE } from '../../services/zoom-connection/oauth-state';
import { checkReconnectToken } from '../../services/zoom-connection/reconnect-token';
import { addLogContext } from '../../observability/log-context';
import { requirePlatformUser, type PlatformAuth } from '../auth';
import { HttpError } from '../http-error';
import {
  CONFIRMATION_PAGE_HEADERS,
  confirmationFormToken,
  confirmationPage,
} from '../pages/zoom-confirmation-page';
import { defineRoute, mount, type ApiArea } from '../route';
import {
  clearStateCookie,
  failFlow,
  redirectToPlatform,
  setStateCookie,
  type ConnectAnswerSettings,
} from '../zoom-connect-answers';

export interface ZoomConnectDeps extends ConnectAnswerSettings {
  connectSessions: ConnectSessions;
  connectFlow: ConnectFlow;
  nonces: NoncesStore;
  users: UsersStore;
  clock: Clock;
  platformAuth: PlatformAuth;
  linkSigningSecret: string;
}

const errorBody = z.object({ error: z.string(), message: z.string() });
const flowFailure =
  'back to PLATFORM_REDIRECT_URL?zoom=error&reason=…; without it (npm start only) a 4xx with the reason';

const createSession = defineRoute({
  method: 'post',
  path: '/integrations/zoom/connect-sessions',
  summary: "Step 1, server to server: a single-use URL (10 minutes) that takes the tutor's browser to Zoom",
  tag: 'zoom',
  security: 'platformJwt',
  responses: {
    201: {
      description: 'the session: open `url` in the tutor’s browser',
      schema: z.object({ url: z.string(), expiresAt: z.string() }),
    },
    401: { description: 'bad platform JWT', schema: errorBody },
  },
});

const openSession = defineRoute({
  method: 'get',
  path: '/integrations/zoom/connect-sessions/:id',
  summary:
    "Step 2: opened once in the tutor's browser; sets the flow's cookie and goes to Zoom's consent screen",
  tag: 'zoom',
  secretPath: true,
  params: z.object({ id: z.string().min(1).max(100) }),
  responses: {
    302: { description: `to Zoom's consent screen; or ${flowFailure}` },
    404: { description: 'unknown session (no PLATFORM_REDIRECT_URL)', schema: errorBody },
    410: { description: 'session already opened or expired (no PLATFORM_REDIRECT_URL)', schema: errorBody },
  },
});

const connect = defineRoute({
  method: 'get',
  path: '/integrations/zoom/connect',
  summary: "The ReconnectZoom email's link (7 days, used up by the first confirmed reconnection)",
  tag: 'zoom',
  query: z.object({ reconnect: z.string().min(1).max(2000).optional(), token: z.string().optional() }),
  responses: {
    302: { description: `to Zoom's consent screen; or ${flowFailure}` },
    400: { description: '?token= is gone: use POST /integrations/zoom/connect-sessions', schema: errorBody },
    401: {
      description: 'the link is invalid, expired or used (no PLATFORM_REDIRECT_URL)',
      schema: errorBody,
    },
  },
});

const callback = defineRoute({
  method: 'get',
  path: '/integrations/zoom/callback',
  summary: 'Steps 3–4: Zoom comes back with a code; the grant is held, pending, for a confirmation',
  tag: 'zoom',
  query: z.object({
    code: z.string().max(2000).optional(),
    state: z.string().max(200).optional(),
    error: z.string().max(200).optional(),
  }),
  responses: {
    200: {
      description: 'npm start only (no PLATFORM_REDIRECT_URL): the confirmation page',
      contentType: 'text/html',
    },
    302: { description: `to PLATFORM_REDIRECT_URL?zoom=pending&grant=<one-time code>; or ${flowFailure}` },
    400: { description: 'refused, with the reason (no PLATFORM_REDIRECT_URL)', schema: errorBody },
  },
});

export function createZoomConnectArea(deps: ZoomConnectDeps): ApiArea {
  const router = new Router();

  async function goToZoom(ctx: Context, sessionId: string): Promise<void> {
    const started = await deps.connectFlow.start(sessionId);
    setStateCookie(ctx, deps, started.cookie, started.maxAgeSeconds * 1000);
    ctx.redirect(started.redirectUrl);
  }

  mount(router, createSession, async (ctx) => {
    const userId = await requirePlatformUser(ctx, deps.platformAuth);
    const session = await deps.connectSessions.create(userId);
    ctx.status = 201;
    ctx.body = { url: session.url, expiresAt: session.expiresAt.toISOString() };
  });

  mount(router, openSession, async (ctx, { params }) => {
    const opened = await deps.connectSessions.open(params.id);
    if (!opened.ok) return failFlow(ctx, deps, `${opened.reason}_session`);
    addLogContext({ tutorId: opened.session.userId });
    await goToZoom(ctx, opened.session.id);
  });

  mount(router, connect, async (ctx, { query }) => {
    if (query.token !== undefined || !query.reconnect)
      throw new HttpError(
        400,
        'connect_route_removed',
        'GET /integrations/zoom/connect?token= is removed: the platform creates a session with POST /integrations/zoom/connect-sessions (Authorization: Bearer <platform JWT>) and opens its url',
      );
    // Opening the link uses nothing up (mail scanners open links): only a confirmed reconnection does.
    const link = await checkReconnectToken(
      query.reconnect,
      deps.linkSigningSecret,
      deps.nonces,
      deps.clock.now(),
    );
    if (!link) return failFlow(ctx, deps, 'invalid_reconnect_link');
    addLogContext({ tutorId: link.userId });
    await goToZoom(ctx, (await deps.connectSessions.openForReconnectLink(link)).id);
  });

  mount(router, callback, async (ctx, { query }) => {
    const stateCookie = ctx.cookies.get(STATE_COOKIE);
    const outcome = await deps.connectFlow.complete({ cookie: stateCookie, ...query });
    if (!outcome.ok) return failFlow(ctx, deps, outcome.reason);
    addLogContext({ tutorId: outcome.userId });
    if (deps.platformRedirectUrl) {
      clearStateCookie(ctx, deps);
      return redirectToPlatform(ctx, deps.platformRedirectUrl, { zoom: 'pending', grant: outcome.grantCode });
    }
    // npm start only: our own page asks; the state cookie stays, as the form token's binding.
    const tutor = await deps.users.findUser(outcome.userId);
    ctx.set(CONFIRMATION_PAGE_HEADERS);
    ctx.type = 'html';
    ctx.body = confirmationPage({
      zoomEmail: outcome.email,
      tutor: tutor?.email ? `${tutor.name ?? outcome.userId} (${tutor.email})` : outcome.userId,
      grantCode: outcome.grantCode,
      formToken: confirmationFormToken(deps.linkSigningSecret, stateCookie ?? '', outcome.grantCode),
    });
  });

  return { router, routes: [createSession, openSession, connect, callback] };
}
