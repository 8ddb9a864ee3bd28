import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../signing-keys';
import { trimBaseUrl } from '../../util/base-url';

/**
 * The stable links in emails and in `meetings`: `/meetings/:lessonId/join?as=…&exp=…&sig=…`.
 * They carry no provider credential; the provider URL is minted when the link is clicked, so a
 * link never goes stale after a reschedule. The signature authenticates the lesson and the role
 * only: a link expires at the lesson's CURRENT end plus grace, so a link sent before the lesson
 * moved later keeps working (its `exp` is signed but no longer decides).
 */
export type JoinRole = 'tutor' | 'student';

function signature(secret: string, lessonId: string, as: JoinRole, exp: number): string {
  return createHmac('sha256', deriveKey(secret, 'join-link'))
    .update(`${lessonId}\n${as}\n${exp}`)
    .digest('base64url');
}

export function joinLink(
  baseUrl: string,
  secret: string,
  lessonId: string,
  as: JoinRole,
  expiresAt: Date,
): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  const url = new URL(`${trimBaseUrl(baseUrl)}/meetings/${encodeURIComponent(lessonId)}/join`);
  url.search = new URLSearchParams({
    as,
    exp: String(exp),
    sig: signature(secret, lessonId, as, exp),
  }).toString();
  return url.toString();
}

/** A lesson's pair of signed links (tutor's and student's), valid until `expiresAt`. */
export function lessonJoinLinks(
  baseUrl: string,
  secret: string,
  lessonId: string,
  expiresAt: Date,
): { joinUrl: string; participantJoinUrl: string } {
  return {
    joinUrl: joinLink(baseUrl, secret, lessonId, 'tutor', expiresAt),
    participantJoinUrl: joinLink(baseUrl, secret, lessonId, 'student', expiresAt),
  };
}

/** Whether the link was signed by us for this lesson and role (expiry is the lesson's to decide). */
export function isAuthenticJoinLink(
  secret: string,
  input: { lessonId: string; as: JoinRole; exp: number; sig: string },
): boolean {
  const expected = Buffer.from(signature(secret, input.lessonId, input.as, input.exp));
  const given = Buffer.from(input.sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
