import { randomBytes, randomInt } from 'node:crypto';

/** Zoom-looking identifiers. All random; nothing here is secret except where noted by callers. */

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlnum(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[randomInt(ALNUM.length)];
  return out;
}

/** Zoom user and account ids are 22 characters of base64url. */
export const newZoomId = (): string => randomBytes(16).toString('base64url').slice(0, 22);

/** Meeting ids are 10 to 11 digits; kept below 2^53 so JSON numbers stay exact. */
export const newMeetingNumber = (): number => randomInt(80_000_000_000, 99_999_999_999);

/** Meeting UUIDs are base64 of 16 bytes, padding included. */
export const newMeetingUuid = (): string => randomBytes(16).toString('base64');

export const newPasscode = (): string => randomAlnum(6);

export const newSecret = (): string => randomBytes(32).toString('base64url');
