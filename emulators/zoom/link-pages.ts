import { meetingPage, messagePage } from './pages';
import type { ZoomReply } from './replies';
import type { RestContext } from './rest-auth';
import { formatZoomTime } from './zoned-time';

/** The pages behind start_url (`/s/{id}?zak=`) and join_url (`/j/{id}?pwd=`). */

const linkInvalid = (): ZoomReply =>
  messagePage(404, 'Invalid meeting ID', 'This meeting link is invalid (3,001).');

export function startPage(idParam: string, query: URLSearchParams, ctx: RestContext): ZoomReply {
  const meeting = /^\d{1,19}$/.test(idParam) ? ctx.meetings.get(Number(idParam)) : undefined;
  const host = meeting && ctx.users.find(meeting.hostId);
  if (!meeting || !host) return linkInvalid();
  const check = ctx.startLinks.check(meeting.id, host.id, query.get('zak') ?? '');
  if (check === 'expired') {
    return messagePage(
      403,
      'Start link expired',
      'This start link has expired. Get a fresh start_url from GET /meetings/{meetingId}.',
    );
  }
  if (check === 'invalid')
    return messagePage(403, 'Invalid start link', 'The zak of this start link is not valid.');
  return meetingPage('start', {
    id: meeting.id,
    topic: meeting.topic,
    startTime: formatZoomTime(meeting.startTimeMs),
    hostEmail: host.email,
  });
}

export function joinPage(idParam: string, query: URLSearchParams, ctx: RestContext): ZoomReply {
  const meeting = /^\d{1,19}$/.test(idParam) ? ctx.meetings.get(Number(idParam)) : undefined;
  const host = meeting && ctx.users.find(meeting.hostId);
  if (!meeting || !host) return linkInvalid();
  const pwd = (query.get('pwd') ?? '').replace(/\.1$/, '');
  if (meeting.encryptedPassword && pwd !== meeting.encryptedPassword) {
    return messagePage(403, 'Wrong passcode', 'The passcode in this join link is wrong.');
  }
  return meetingPage('join', {
    id: meeting.id,
    topic: meeting.topic,
    startTime: formatZoomTime(meeting.startTimeMs),
    hostEmail: host.email,
  });
}
