import { parseAnswer, providerFetch, type Classifier } from '../http';
import type { DailyConfig } from './env';
import { dailyError, dailyRoom, meetingTokenAnswer, type DailyRoom } from './schemas';

export type { DailyRoom } from './schemas';
export { dailyRoom } from './schemas';

/** Room properties we set (times are Unix seconds). */
export interface DailyRoomProperties {
  nbf?: number;
  exp?: number;
  eject_at_room_exp?: boolean;
  enable_emoji_reactions?: boolean;
  enable_hand_raising?: boolean;
  enable_prejoin_ui?: boolean;
  enable_chat?: boolean;
  enable_knocking?: boolean;
  enable_screenshare?: boolean;
  max_participants?: number;
  lang?: string;
  geo?: string;
}

/** A meeting token's own limits override the room's. `user_id` is at most 36 characters. */
export interface DailyMeetingTokenProperties {
  room_name: string;
  user_name?: string;
  user_id?: string;
  is_owner?: boolean;
  nbf?: number;
  exp?: number;
  eject_at_token_exp?: boolean;
}

export interface DailyClient {
  /** POST /rooms; a name that exists already throws `conflict`. Names are [A-Za-z0-9_-], ≤ 128. */
  createRoom(input: {
    name: string;
    privacy: 'public' | 'private';
    properties: DailyRoomProperties;
  }): Promise<DailyRoom>;
  /** GET /rooms/:name; unknown rooms throw `not-found`. */
  getRoom(name: string): Promise<DailyRoom>;
  /** POST /rooms/:name, answering the updated room. */
  updateRoom(
    name: string,
    input: { privacy?: 'public' | 'private'; properties?: DailyRoomProperties },
  ): Promise<DailyRoom>;
  /** DELETE /rooms/:name; unknown rooms throw `not-found`, which callers may treat as gone. */
  deleteRoom(name: string): Promise<void>;
  /** POST /meeting-tokens, answering the token (a JWT). */
  createMeetingToken(properties: DailyMeetingTokenProperties): Promise<string>;
  /** The room's URL with `?t=<token>`. */
  joinUrl(roomUrl: string, token: string): string;
}

/** Daily's errors that refuse our API key (a rotated or wrong key), not the request itself. */
const KEY_REFUSED = new Set(['authentication-error', 'forbidden-error', 'authorization-header-error']);

/**
 * Daily's error types: not-found, a name conflict, a refused API key (transient: an operator mends
 * it, and lessons wait for that instead of failing for good, as with SendGrid's), and the rest
 * permanent (429 and 5xx are transient upstream).
 */
export const classifyDaily: Classifier = ({ status, body }) => {
  const parsed = dailyError.safeParse(body);
  const code = parsed.success ? parsed.data.error : undefined;
  const info = parsed.success ? (parsed.data.info ?? parsed.data.error) : `status ${status}`;
  if (status === 401 || status === 403 || (code !== undefined && KEY_REFUSED.has(code)))
    return { kind: 'transient', code, message: info };
  if (status === 404 || code === 'not-found') return { kind: 'not-found', code, message: info };
  if (code === 'invalid-request-error' && /already exists/i.test(info))
    return { kind: 'conflict', code, message: info };
  return { kind: 'rejected', code, message: info };
};

/** A join URL: the room's URL with the meeting token that carries the user's identity. */
export function dailyJoinUrl(roomUrl: string, token: string): string {
  const url = new URL(roomUrl);
  url.searchParams.set('t', token);
  return url.toString();
}

export function createDailyClient(config: DailyConfig): DailyClient {
  const call = async (method: string, path: string, json?: unknown) =>
    providerFetch(
      {
        provider: 'daily',
        method,
        url: `${config.apiBaseUrl}${path}`,
        headers: { authorization: `Bearer ${config.apiKey}` },
        json,
        timeoutMs: config.timeoutMs,
      },
      classifyDaily,
    );
  const room = (name: string): string => `/rooms/${encodeURIComponent(name)}`;

  return {
    createRoom: async (input) => parseAnswer(dailyRoom, await call('POST', '/rooms', input)),
    getRoom: async (name) => parseAnswer(dailyRoom, await call('GET', room(name))),
    updateRoom: async (name, input) => parseAnswer(dailyRoom, await call('POST', room(name), input)),
    // The answer ({deleted, name}) carries nothing we need; a 2xx is enough.
    deleteRoom: async (name) => void (await call('DELETE', room(name))),
    createMeetingToken: async (properties) =>
      parseAnswer(meetingTokenAnswer, await call('POST', '/meeting-tokens', { properties })).token,
    joinUrl: dailyJoinUrl,
  };
}
