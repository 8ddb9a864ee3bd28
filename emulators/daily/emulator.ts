import { randomBytes } from 'node:crypto';
import type { EmulatorClock } from '../kit/clock';
import { escapeHtml } from '../kit/html';
import {
  startEmulator,
  type EmulatorRequest,
  type EmulatorResponse,
  type Route,
  type RouteContext,
  type RunningEmulator,
} from '../kit/server';
import {
  decodeMeetingToken,
  checkTokenProperties,
  signMeetingToken,
  verifyMeetingToken,
} from './meeting-tokens';
import { DailyError, RoomStore, type Room } from './rooms';

export { decodeMeetingToken };

export interface DailyEmulatorOptions {
  /** The accepted API key; any non-empty key when unset. */
  apiKey?: string;
  /** Where room URLs point; default the emulator's own URL, so the links open locally. */
  roomBaseUrl?: string;
  port?: number;
  host?: string;
  stateFile?: string;
  clock?: EmulatorClock;
  requestLogSize?: number;
}

export type DailyEmulator = RunningEmulator & {
  apiBaseUrl: string;
  rooms(): Room[];
  decodeMeetingToken: typeof decodeMeetingToken;
};

const errorBody = (type: string, info: string) => ({ error: type, info });
const statusType: Record<number, string> = {
  400: 'invalid-request-error',
  401: 'authentication-error',
  403: 'forbidden-error',
  404: 'not-found',
  429: 'rate-limit-error',
};

function authorize(req: EmulatorRequest, apiKey: string | undefined): void {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header) : null;
  if (!match)
    throw new DailyError(400, 'authorization-header-error', 'Authorization header missing or malformed');
  if (apiKey ? match[1] !== apiKey : !match[1])
    throw new DailyError(401, 'authentication-error', 'Invalid API key');
}

function bodyObject(req: EmulatorRequest): Record<string, unknown> {
  if (req.rawBody.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.rawBody.toString('utf8'));
  } catch {
    throw new DailyError(400, 'json-parsing-error', 'Error parsing JSON body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new DailyError(400, 'invalid-request-error', 'body must be an object');
  return parsed as Record<string, unknown>;
}

/** A join page; title and message are text (a token's user_name is whatever the caller chose). */
function page(status: number, rawTitle: string, rawMessage: string): EmulatorResponse {
  const [title, message] = [escapeHtml(rawTitle), escapeHtml(rawMessage)];
  return {
    status,
    text: `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${message}</p><p><small>Daily.co emulator</small></p></body></html>`,
  };
}

/** Starts the Daily.co emulator: REST under /v1, rooms' join pages at /:room. */
export async function startDailyEmulator(options: DailyEmulatorOptions = {}): Promise<DailyEmulator> {
  let baseUrl = '';
  const rooms = new RoomStore(() => options.roomBaseUrl ?? baseUrl);
  let signingKey = randomBytes(32).toString('hex');
  const api = (method: string, path: string, handle: (ctx: RouteContext) => EmulatorResponse): Route => ({
    method,
    path,
    handler: (ctx) => {
      try {
        authorize(ctx.req, options.apiKey);
        return handle(ctx);
      } catch (error) {
        if (error instanceof DailyError)
          return { status: error.status, body: errorBody(error.type, error.info) };
        throw error;
      }
    },
  });

  const routes: Route[] = [
    api('POST', '/v1/rooms', ({ req, clock }) => ({
      status: 200,
      body: rooms.create(bodyObject(req), clock.nowSeconds()),
    })),
    api('GET', '/v1/rooms', () => ({
      status: 200,
      body: { total_count: rooms.rooms.size, data: [...rooms.rooms.values()] },
    })),
    api('GET', '/v1/rooms/:name', ({ params }) => ({ status: 200, body: rooms.get(params.name ?? '') })),
    api('POST', '/v1/rooms/:name', ({ req, params, clock }) => ({
      status: 200,
      body: rooms.update(params.name ?? '', bodyObject(req), clock.nowSeconds()),
    })),
    api('DELETE', '/v1/rooms/:name', ({ params }) => {
      rooms.delete(params.name ?? '');
      return { status: 200, body: { deleted: true, name: params.name } };
    }),
    api('POST', '/v1/meeting-tokens', ({ req, clock }) => {
      const claims = checkTokenProperties(bodyObject(req).properties);
      return { status: 200, body: { token: signMeetingToken(claims, signingKey, clock.nowSeconds()) } };
    }),
    {
      method: 'GET',
      path: '/:room',
      handler: ({ params, req, clock }) => {
        const room = rooms.rooms.get(params.room ?? '');
        if (!room)
          return page(404, 'No such room', 'This meeting room does not exist (it may have been deleted).');
        const now = clock.nowSeconds();
        const token = req.query.get('t');
        const claims = token ? verifyMeetingToken(token, signingKey) : undefined;
        if (token && (!claims || claims.room_name !== room.name))
          return page(
            403,
            'Invalid meeting token',
            'This link carries a token that is not valid for this room.',
          );
        if (!claims && room.privacy === 'private')
          return page(403, 'Private room', 'This room needs a meeting token.');
        const nbf = Number(claims?.nbf ?? room.config.nbf ?? 0);
        const exp = Number(claims?.exp ?? room.config.exp ?? Infinity);
        if (now < nbf)
          return page(403, 'Too early', `This room opens at ${new Date(nbf * 1000).toISOString()}.`);
        if (now >= exp) return page(403, 'Expired', 'This meeting link has expired.');
        const who = claims?.user_name
          ? `${String(claims.user_name)}${claims.is_owner ? ' (owner)' : ''}`
          : 'a guest';
        return page(
          200,
          `Joined ${room.name}`,
          `You joined as ${who}. Emoji reactions: ${room.config.enable_emoji_reactions ? 'on' : 'off'}; hand raising: ${room.config.enable_hand_raising ? 'on' : 'off'}.`,
        );
      },
    },
  ];

  const running = await startEmulator(
    {
      name: 'Daily',
      routes,
      errorBody: (status, message) => errorBody(statusType[status] ?? 'server-error', message),
      identify: (req) => {
        const match = /^\/v1\/rooms\/([^/]+)/.exec(req.path);
        return match ? { room: decodeURIComponent(match[1] as string) } : {};
      },
      snapshot: () => ({ rooms: [...rooms.rooms.values()], signingKey }),
      restore: (state) => {
        const saved = state as { rooms: Room[]; signingKey?: string };
        if (saved.signingKey) signingKey = saved.signingKey;
        for (const room of saved.rooms ?? []) rooms.rooms.set(room.name, room);
      },
    },
    options,
  );
  baseUrl = running.url;
  return Object.assign(running, {
    apiBaseUrl: `${running.url}/v1`,
    rooms: () => [...rooms.rooms.values()],
    decodeMeetingToken,
  });
}
