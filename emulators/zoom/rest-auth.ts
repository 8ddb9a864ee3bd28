import type { MeetingStore } from './meetings';
import type { DailyMeetingLimiter, PerSecondLimiter } from './rate-limits';
import { header, restError, type ZoomReply, type ZoomRequest } from './replies';
import type { StartLinks } from './start-links';
import type { TokenStore } from './tokens';
import { userResource, type UserDirectory, type ZoomUser } from './users';

/** What the REST handlers work on. */
export interface RestContext {
  users: UserDirectory;
  tokens: TokenStore;
  meetings: MeetingStore;
  daily: DailyMeetingLimiter;
  perSecond: PerSecondLimiter;
  startLinks: StartLinks;
  nowMs(): number;
}

export const isReply = (value: unknown): value is ZoomReply =>
  typeof value === 'object' && value !== null && 'status' in value && typeof value.status === 'number';

export const bearerToken = (req: Pick<ZoomRequest, 'headers'>): string | undefined =>
  /^Bearer\s+(\S+)$/i.exec(header(req, 'authorization') ?? '')?.[1];

/** Bearer token → the calling user: 124 for a bad or expired token, 1001 for a deleted user. */
export function authenticate(req: ZoomRequest, ctx: RestContext): ZoomUser | ZoomReply {
  const token = bearerToken(req);
  const check = token ? ctx.tokens.checkAccess(token) : ({ state: 'invalid' } as const);
  if (check.state === 'expired') return restError(401, 124, 'Access token is expired.');
  if (check.state !== 'valid') return restError(401, 124, 'Invalid access token.');
  const limited = ctx.perSecond.take(check.userId, req.method === 'GET' ? 'Light' : 'Medium');
  if (limited) return limited;
  return ctx.users.find(check.userId) ?? restError(404, 1001, `User does not exist: ${check.userId}.`);
}

/** The `{userId}` of a path: `me`, the caller's id or email. A user-level app reaches no one else. */
export function targetUser(caller: ZoomUser, userParam: string, ctx: RestContext): ZoomUser | ZoomReply {
  if (userParam === 'me') return caller;
  const user = ctx.users.find(userParam);
  if (!user) return restError(404, 1001, `User does not exist: ${userParam}.`);
  return user.id === caller.id ? user : restError(400, 200, 'No permission.');
}

/** GET /users/me and GET /users/{userId}. */
export function getUser(req: ZoomRequest, userParam: string, ctx: RestContext, baseUrl: string): ZoomReply {
  const caller = authenticate(req, ctx);
  if (isReply(caller)) return caller;
  const user = targetUser(caller, userParam, ctx);
  return isReply(user) ? user : { status: 200, body: userResource(user, baseUrl) };
}
