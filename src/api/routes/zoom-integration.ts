import Router from '@koa/router';
import { z } from 'zod';
import type { ZoomTokenService } from '../../services/zoom-connection/token-service';
import { requirePlatformUser, type PlatformAuth } from '../auth';
import { defineRoute, mount, type ApiArea } from '../route';

export interface ZoomIntegrationDeps {
  tokenService: ZoomTokenService;
  platformAuth: PlatformAuth;
  /** Moves the tutor's upcoming Zoom lessons to Daily after a disconnect. */
  onDisconnected(userId: string): Promise<void>;
}

const errorBody = z.object({ error: z.string(), message: z.string() });

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

  return { router, routes: [status, disconnect] };
}
