import { randomBytes, randomUUID } from 'node:crypto';

/** Daily's room model: names, privacy, properties (kept as `config`), Unix-second times. */
export interface Room {
  id: string;
  name: string;
  api_created: true;
  privacy: 'public' | 'private';
  url: string;
  created_at: string;
  config: Record<string, unknown>;
}

export class DailyError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly info: string,
  ) {
    super(info);
  }
}

const NAME_RULE = /^[A-Za-z0-9_-]{1,128}$/;
const BOOLEAN_PROPERTIES = [
  'eject_at_room_exp',
  'enable_emoji_reactions',
  'enable_hand_raising',
  'enable_prejoin_ui',
  'enable_chat',
  'enable_knocking',
  'enable_screenshare',
];
const NUMBER_PROPERTIES = ['nbf', 'exp', 'max_participants'];
const STRING_PROPERTIES = ['lang', 'geo'];

const invalid = (info: string): DailyError => new DailyError(400, 'invalid-request-error', info);

export function checkProperties(properties: unknown, nowSeconds: number): Record<string, unknown> {
  if (properties === undefined) return {};
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties))
    throw invalid('properties must be an object');
  const checked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (BOOLEAN_PROPERTIES.includes(key)) {
      if (typeof value !== 'boolean') throw invalid(`${key} must be a boolean`);
    } else if (NUMBER_PROPERTIES.includes(key)) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
        throw invalid(`${key} must be a non-negative integer`);
    } else if (STRING_PROPERTIES.includes(key)) {
      if (typeof value !== 'string') throw invalid(`${key} must be a string`);
    } else {
      throw invalid(`unknown room property ${key}`);
    }
    checked[key] = value;
  }
  if (typeof checked.exp === 'number' && checked.exp <= nowSeconds) throw invalid('exp was in the past');
  if (typeof checked.max_participants === 'number' && (checked.max_participants as number) > 200)
    throw invalid('max_participants must be at most 200');
  return checked;
}

export class RoomStore {
  readonly rooms = new Map<string, Room>();

  constructor(private readonly roomBaseUrl: () => string) {}

  create(body: Record<string, unknown>, nowSeconds: number): Room {
    const name =
      body.name === undefined
        ? randomBytes(10)
            .toString('base64url')
            .replace(/[^A-Za-z0-9]/g, 'x')
        : body.name;
    if (typeof name !== 'string' || !NAME_RULE.test(name))
      throw invalid('name must be 1-128 characters of A-Z, a-z, 0-9, - and _');
    if (this.rooms.has(name)) throw invalid(`a room named ${name} already exists`);
    const privacy = body.privacy ?? 'public';
    if (privacy !== 'public' && privacy !== 'private') throw invalid('privacy must be public or private');
    const room: Room = {
      id: randomUUID(),
      name,
      api_created: true,
      privacy,
      url: `${this.roomBaseUrl()}/${name}`,
      created_at: new Date(nowSeconds * 1000).toISOString(),
      config: checkProperties(body.properties, nowSeconds),
    };
    this.rooms.set(name, room);
    return room;
  }

  get(name: string): Room {
    const room = this.rooms.get(name);
    if (!room) throw new DailyError(404, 'not-found', `room ${name} not found`);
    return room;
  }

  update(name: string, body: Record<string, unknown>, nowSeconds: number): Room {
    const room = this.get(name);
    if (body.privacy !== undefined) {
      if (body.privacy !== 'public' && body.privacy !== 'private')
        throw invalid('privacy must be public or private');
      room.privacy = body.privacy;
    }
    room.config = { ...room.config, ...checkProperties(body.properties, nowSeconds) };
    return room;
  }

  delete(name: string): void {
    this.get(name);
    this.rooms.delete(name);
  }
}
