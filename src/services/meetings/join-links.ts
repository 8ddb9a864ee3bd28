import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../signing-keys';

/**
 * The stable links in emails and in `meetings`: `/meetings/:lessonId/join?as=…&exp=…&sig=…`.
 * They carry no provider credential; the provider URL is minted when the link is clicked, so a
 * link never goes stale after a reschedule. The signature expires at the lesson's end plus grace.
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
  const url = new URL(`${baseUrl.replace(/\/$/, '')}/meetings/${encodeURIComponent(lessonId)}/join`);
  url.search = new URLSearchParams({
    as,
    exp: String(exp),
    sig: signature(secret, lessonId, as, exp),
  }).toString();
  return url.toString();
}

export type JoinLinkCheck = 'valid' | 'bad-signature' | 'expired';

export function checkJoinLink(
  secret: string,
  input: { lessonId: string; as: JoinRole; exp: number; sig: string },
  now: Date,
): JoinLinkCheck {
  const expected = Buffer.from(signature(secret, input.lessonId, input.as, input.exp));
  const given = Buffer.from(input.sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad-signature';
  return input.exp * 1000 < now.getTime() ? 'expired' : 'valid';
}
