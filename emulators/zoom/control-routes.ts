import type { ZoomControl } from './control';
import type { ConsentRequest } from './model';
import type { ZoomSettings } from './options';
import { jsonObjectBody, type ZoomReply } from './replies';
import type { ZoomRouteContext } from './routes';
import type { NewUser } from './users';
import type { DeliveryOptions } from './webhook-sender';

export interface ZoomControlRoute {
  method: string;
  path: string;
  handler(ctx: ZoomRouteContext): ZoomReply | Promise<ZoomReply>;
}

type Json = Record<string, unknown>;

const ok = (body: unknown, status = 200): ZoomReply => ({ status, body });
const badInput = (message: string): ZoomReply => ({ status: 400, body: { error: message } });
const notFound = (what: string): ZoomReply => ({ status: 404, body: { error: `${what} not found` } });

const SETTING_TYPES: Record<keyof ZoomSettings, string> = {
  accessTokenTtlSeconds: 'number',
  refreshTokenTtlSeconds: 'number',
  authorizationCodeTtlSeconds: 'number',
  startUrlTtlSeconds: 'number',
  dailyMeetingLimit: 'number',
  perSecondLimit: 'number|null',
  dailyLimitRetryAfter: "'midnight'|{secondsAhead}",
  consentPage: 'boolean',
  scope: 'string',
};

/** Checks a settings patch from JSON; `perSecondLimit: null` turns the limit off. */
function settingsPatch(body: Json): Partial<ZoomSettings> | string {
  const patch: Json = {};
  for (const [key, value] of Object.entries(body)) {
    const type = SETTING_TYPES[key as keyof ZoomSettings];
    if (!type) return `unknown setting ${key}`;
    const fits =
      key === 'perSecondLimit'
        ? value === null || (typeof value === 'number' && value >= 0)
        : key === 'dailyLimitRetryAfter'
          ? value === 'midnight' || typeof (value as Json | null)?.secondsAhead === 'number'
          : typeof value === type && (type !== 'number' || (value as number) >= 0);
    if (!fits) return `${key} must be ${type}`;
    patch[key] = value === null ? undefined : value;
  }
  return patch as Partial<ZoomSettings>;
}

const deliveryOptions = (body: Json): DeliveryOptions & { url?: string } => ({
  ...(typeof body.url === 'string' ? { url: body.url } : {}),
  ...(body.signature === 'bad' || body.signature === 'none' || body.signature === 'valid'
    ? { signature: body.signature }
    : {}),
  ...(typeof body.timestampSkewSeconds === 'number'
    ? { timestampSkewSeconds: body.timestampSkewSeconds }
    : {}),
  ...(typeof body.legacyAuthorization === 'boolean' ? { legacyAuthorization: body.legacyAuthorization } : {}),
});

/** The Zoom-specific control API, under /_emulator/zoom/. Bodies are JSON. */
export function zoomControlRoutes(control: ZoomControl): ZoomControlRoute[] {
  const body = (ctx: ZoomRouteContext): Json =>
    ctx.req.rawBody.length ? (jsonObjectBody(ctx.req) ?? {}) : {};
  const guarded =
    (handler: (ctx: ZoomRouteContext) => ZoomReply | Promise<ZoomReply>) =>
    async (ctx: ZoomRouteContext): Promise<ZoomReply> => {
      try {
        return await handler(ctx);
      } catch (error) {
        return badInput(error instanceof Error ? error.message : String(error));
      }
    };
  const route = (
    method: string,
    path: string,
    handler: (ctx: ZoomRouteContext) => ZoomReply | Promise<ZoomReply>,
  ) => ({
    method,
    path: `/_emulator/zoom${path}`,
    handler: guarded(handler),
  });
  const userParam = (ctx: ZoomRouteContext): string => decodeURIComponent(ctx.params.userId ?? '');

  return [
    route('GET', '/users', () => ok({ users: control.users() })),
    route('POST', '/users', (ctx) => ok(control.createUser(body(ctx) as NewUser), 201)),
    route('DELETE', '/users/:userId', (ctx) =>
      control.deleteUser(userParam(ctx)) ? ok(undefined, 204) : notFound('user'),
    ),
    route('POST', '/users/:userId/deauthorize', async (ctx) => {
      const input = body(ctx);
      const result = await control.deauthorizeUser(userParam(ctx), {
        ...(typeof input.sendWebhook === 'boolean' ? { sendWebhook: input.sendWebhook } : {}),
        ...(typeof input.userDataRetention === 'boolean'
          ? { userDataRetention: input.userDataRetention }
          : {}),
        ...(typeof input.webhookUrl === 'string' ? { webhookUrl: input.webhookUrl } : {}),
        delivery: deliveryOptions(input),
      });
      return result ? ok(result) : notFound('user');
    }),
    route('POST', '/tokens/revoke', (ctx) => {
      const token = body(ctx).token;
      return typeof token === 'string'
        ? ok({ revoked: control.revokeToken(token) })
        : badInput('token is required');
    }),
    route('POST', '/consent', (ctx) => {
      const input = body(ctx);
      if (input.decision !== 'approve' && input.decision !== 'deny')
        return badInput("decision must be 'approve' or 'deny'");
      if (input.for !== undefined && input.for !== 'next' && input.for !== 'every')
        return badInput("for must be 'next' or 'every'");
      control.setConsent(input as unknown as ConsentRequest);
      return ok(undefined, 204);
    }),
    route('GET', '/settings', () => ok(control.settings())),
    route('PATCH', '/settings', (ctx) => {
      const patch = settingsPatch(body(ctx));
      return typeof patch === 'string' ? badInput(patch) : ok(control.updateSettings(patch));
    }),
    route('GET', '/meetings', (ctx) =>
      ok({ meetings: control.meetings(ctx.req.query.get('host') ?? undefined) }),
    ),
    route('GET', '/stats', () => ok(control.stats())),
    route('GET', '/webhooks', () => ok({ deliveries: control.deliveries() })),
    route('POST', '/webhooks/send', async (ctx) => {
      const input = body(ctx);
      if (typeof input.event !== 'string') return badInput('event is required');
      const payload = (input.payload ?? {}) as Json;
      return ok(
        await control.sendWebhook(control.webhooks.event(input.event, payload), deliveryOptions(input)),
      );
    }),
    route('POST', '/webhooks/validate', async (ctx) => {
      const input = body(ctx);
      const plainToken = typeof input.plainToken === 'string' ? { plainToken: input.plainToken } : {};
      return ok(await control.validateWebhookUrl({ ...deliveryOptions(input), ...plainToken }));
    }),
  ];
}
