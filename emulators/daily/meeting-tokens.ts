import { createHmac } from 'node:crypto';
import { DailyError } from './rooms';

/** Meeting tokens are real HS256 JWTs, signed with a key of the emulator's own. */
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const TOKEN_PROPERTIES: Record<string, 'string' | 'boolean' | 'number'> = {
  room_name: 'string',
  user_name: 'string',
  user_id: 'string',
  is_owner: 'boolean',
  nbf: 'number',
  exp: 'number',
  eject_at_token_exp: 'boolean',
  enable_screenshare: 'boolean',
};

export function checkTokenProperties(properties: unknown): Record<string, unknown> {
  if (typeof properties !== 'object' || properties === null)
    throw new DailyError(400, 'invalid-request-error', 'properties is required');
  const checked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties)) {
    const type = TOKEN_PROPERTIES[key];
    if (!type) throw new DailyError(400, 'invalid-request-error', `unknown token property ${key}`);
    if (typeof value !== type) throw new DailyError(400, 'invalid-request-error', `${key} must be a ${type}`);
    checked[key] = value;
  }
  if (typeof checked.user_id === 'string' && checked.user_id.length > 36)
    throw new DailyError(400, 'invalid-request-error', 'user_id must be at most 36 characters');
  return checked;
}

export function signMeetingToken(claims: Record<string, unknown>, key: string, nowSeconds: number): string {
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...claims, iat: nowSeconds })}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

/** The claims of a token, or undefined when its signature is not ours. */
export function verifyMeetingToken(token: string, key: string): Record<string, unknown> | undefined {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return undefined;
  if (createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url') !== signature)
    return undefined;
  return decodeMeetingToken(token);
}

/** Reads a token's claims without checking it (for assertions). */
export function decodeMeetingToken(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}
