import { escapeHtml } from '../kit/html';
import type { ZoomReply } from './replies';

/** Small HTML pages: the consent screen and what lies behind start and join links. */

export function htmlPage(status: number, title: string, bodyHtml: string): ZoomReply {
  const text = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto"><h1>${escapeHtml(title)}</h1>${bodyHtml}
<p><small>Zoom emulator</small></p></body></html>`;
  return { status, text, contentType: 'text/html; charset=utf-8' };
}

export const messagePage = (status: number, title: string, message: string): ZoomReply =>
  htmlPage(status, title, `<p data-status="${status}">${escapeHtml(message)}</p>`);

/** The approve/deny screen; it posts every original parameter back to /oauth/authorize. */
export function consentPage(params: URLSearchParams, userEmail: string): ZoomReply {
  const hidden = [...params]
    .filter(([name]) => name !== 'decision')
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return htmlPage(
    200,
    'Authorize app',
    `<p>Allow this app to read your profile and manage your meetings as <b>${escapeHtml(userEmail)}</b>?</p>
<form method="post" action="/oauth/authorize">${hidden}
<button name="decision" value="approve">Allow</button> <button name="decision" value="deny">Decline</button></form>`,
  );
}

export interface MeetingPageInfo {
  id: number;
  topic: string;
  startTime?: string;
  hostEmail: string;
}

export function meetingPage(kind: 'start' | 'join', meeting: MeetingPageInfo): ZoomReply {
  const action = kind === 'start' ? `Starting meeting as host ${meeting.hostEmail}` : 'Joining meeting';
  return htmlPage(
    200,
    meeting.topic,
    `<p data-status="ok">${escapeHtml(action)}.</p><p>Meeting ID: ${meeting.id}${
      meeting.startTime ? `<br>Scheduled for ${escapeHtml(meeting.startTime)}` : ''
    }</p>`,
  );
}
