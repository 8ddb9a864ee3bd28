import { z } from 'zod';
import { providerFetch, type Classifier } from '../http';
import type { DailyConfig } from './env';

export const dailyRoom = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  url: z.string(),
  privacy: z.string().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
export type DailyRoom = z.infer<typeof dailyRoom>;

const dailyError = z.looseObject({ error: z.string(), info: z.string().optional() });

/** Room properties we set (Unix seconds for times). */
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
}

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
  createRoom(input: {
    name: string;
    privacy: 'public' | 'private';
    properties: DailyRoomProperties;
  }): Promise<DailyRoom>;
  getRoom(name: string): Promise<DailyRoom>;
  updateRoom(name: string, input: { properties: DailyRoomProperties }): Promise<DailyRoom>;
  deleteRoom(name: string): Promise<void>;
  createMeetingToken(properties: DailyMeetingTokenProperties): Promise<string>;
}

export const classifyDaily: Classifier = ({ status, body }) => {
  const parsed = dailyError.safeParse(body);
  const code = parsed.success ? parsed.data.error : undefined;
  const info = parsed.success ? (parsed.data.info ?? parsed.data.error) : `status ${status}`;
  if (status === 404 || code === 'not-found') return { kind: 'not-found', code, message: info };
  if (code === 'invalid-request-error' && /already exists/.test(info))
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
    (
      await providerFetch(
        {
          provider: 'daily',
          method,
          url: `${config.apiBaseUrl}${path}`,
          headers: { authorization: `Bearer ${config.apiKey}` },
          json,
          timeoutMs: config.timeoutMs,
        },
        classifyDaily,
      )
    ).body;
  const room = (name: string): string => `/rooms/${encodeURIComponent(name)}`;

  return {
    createRoom: async (input) => dailyRoom.parse(await call('POST', '/rooms', input)),
    getRoom: async (name) => dailyRoom.parse(await call('GET', room(name))),
    updateRoom: async (name, input) => dailyRoom.parse(await call('POST', room(name), input)),
    deleteRoom: async (name) => void (await call('DELETE', room(name))),
    createMeetingToken: async (properties) =>
      z.object({ token: z.string() }).parse(await call('POST', '/meeting-tokens', { properties })).token,
  };
}
