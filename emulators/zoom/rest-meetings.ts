import { validateMeetingBody } from './meeting-validation';
import { LIST_TYPES, meetingListItem, meetingResource, type ListType, type StoredMeeting } from './meetings';
import { restError, type ZoomReply, type ZoomRequest } from './replies';
import { authenticate, isReply, targetUser, type RestContext } from './rest-auth';
import type { ZoomUser } from './users';

/** Zoom's meeting endpoints: create, list, get, update, delete. */

const missingMeeting = (raw: string): ZoomReply => restError(404, 3001, `Meeting does not exist: ${raw}.`);
const invalidParameter = (name: string): ZoomReply => restError(400, 300, `Invalid parameter: ${name}.`);

function render(
  m: StoredMeeting,
  host: ZoomUser,
  ctx: RestContext,
  baseUrl: string,
): Record<string, unknown> {
  return meetingResource(m, host, baseUrl, ctx.startLinks.startUrl(baseUrl, m.id, host.id));
}

/** POST /users/{userId}/meetings → 201. Each call makes a new meeting, as Zoom does. */
export function createMeeting(
  req: ZoomRequest,
  userParam: string,
  ctx: RestContext,
  baseUrl: string,
): ZoomReply {
  const caller = authenticate(req, ctx);
  if (isReply(caller)) return caller;
  const host = targetUser(caller, userParam, ctx);
  if (isReply(host)) return host;
  const limited = ctx.daily.take(host.id);
  if (limited) return limited;
  const checked = validateMeetingBody(req, host.timezone);
  if (!checked.ok) return checked.reply;
  const meeting = ctx.meetings.create(host, checked.fields, ctx.nowMs());
  return { status: 201, body: render(meeting, host, ctx, baseUrl) };
}

/** GET /users/{userId}/meetings with `type`, `page_size` and `next_page_token`. */
export function listMeetings(
  req: ZoomRequest,
  userParam: string,
  ctx: RestContext,
  baseUrl: string,
): ZoomReply {
  const caller = authenticate(req, ctx);
  if (isReply(caller)) return caller;
  const host = targetUser(caller, userParam, ctx);
  if (isReply(host)) return host;
  const type = (req.query.get('type') ?? 'scheduled') as ListType;
  if (!LIST_TYPES.includes(type)) return invalidParameter('type');
  const sizeText = req.query.get('page_size') ?? '30';
  if (!/^\d+$/.test(sizeText)) return invalidParameter('page_size');
  const pageSize = Math.min(300, Math.max(1, Number(sizeText)));
  const offset = decodePageToken(req.query.get('next_page_token') ?? '');
  if (offset === undefined) return invalidParameter('next_page_token');

  const all = ctx.meetings.list(host.id, type, ctx.nowMs());
  const page = all.slice(offset, offset + pageSize);
  const next = offset + pageSize < all.length ? encodePageToken(offset + pageSize) : '';
  return {
    status: 200,
    body: {
      page_size: pageSize,
      total_records: all.length,
      next_page_token: next,
      meetings: page.map((m) => meetingListItem(m, baseUrl)),
    },
  };
}

const encodePageToken = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');

function decodePageToken(token: string): number | undefined {
  if (token === '') return 0;
  const match = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

/** Resolves `{meetingId}` to a meeting the caller hosts; 3001 otherwise. */
function ownMeeting(
  req: ZoomRequest,
  idParam: string,
  ctx: RestContext,
): { meeting: StoredMeeting; host: ZoomUser } | ZoomReply {
  const caller = authenticate(req, ctx);
  if (isReply(caller)) return caller;
  const meeting = /^\d{1,19}$/.test(idParam) ? ctx.meetings.get(Number(idParam)) : undefined;
  if (!meeting || meeting.hostId !== caller.id) return missingMeeting(idParam);
  return { meeting, host: caller };
}

/** GET /meetings/{meetingId} → 200 with a fresh start_url. */
export function getMeeting(req: ZoomRequest, idParam: string, ctx: RestContext, baseUrl: string): ZoomReply {
  const found = ownMeeting(req, idParam, ctx);
  return isReply(found) ? found : { status: 200, body: render(found.meeting, found.host, ctx, baseUrl) };
}

/** PATCH /meetings/{meetingId} → 204; counts against the host's daily create/update limit. */
export function updateMeeting(req: ZoomRequest, idParam: string, ctx: RestContext): ZoomReply {
  const found = ownMeeting(req, idParam, ctx);
  if (isReply(found)) return found;
  const limited = ctx.daily.take(found.host.id);
  if (limited) return limited;
  const checked = validateMeetingBody(req, found.meeting.timezone);
  if (!checked.ok) return checked.reply;
  ctx.meetings.update(found.meeting, checked.fields);
  return { status: 204 };
}

/** DELETE /meetings/{meetingId} → 204. */
export function deleteMeeting(req: ZoomRequest, idParam: string, ctx: RestContext): ZoomReply {
  const found = ownMeeting(req, idParam, ctx);
  if (isReply(found)) return found;
  ctx.meetings.delete(found.meeting.id);
  return { status: 204 };
}
