import { parseAnswer, providerFetch } from '../http';
import { ProviderError } from '../provider-error';
import { classifyZoom } from './classify';
import type { ZoomConfig } from './env';
import { zoomMeeting, zoomMeetingList, zoomUser, type ZoomMeeting, type ZoomUser } from './schemas';

/** The meeting settings we set; Zoom keeps its account defaults for the rest. */
export interface ZoomMeetingSettings {
  join_before_host?: boolean;
  waiting_room?: boolean;
  host_video?: boolean;
  participant_video?: boolean;
  mute_upon_entry?: boolean;
  approval_type?: 0 | 1 | 2;
  audio?: 'both' | 'telephony' | 'voip' | 'thirdParty';
  auto_recording?: 'local' | 'cloud' | 'none';
}

/** A lesson's defaults: the tutor lets the student in from the waiting room. */
export const DEFAULT_MEETING_SETTINGS: ZoomMeetingSettings = {
  join_before_host: false,
  waiting_room: true,
  host_video: true,
  participant_video: true,
  mute_upon_entry: true,
};

export interface ZoomMeetingInput {
  /** Cut at Zoom's 200 characters. */
  topic: string;
  startTime: Date;
  durationMinutes: number;
  /** The zone Zoom shows the meeting in; start_time is always sent in UTC. Default UTC. */
  timezone?: string;
  /** At most 10 characters of [A-Za-z0-9@_*-]; a longer one is refused before sending. */
  password?: string;
  /** Cut at Zoom's 2,000 characters. */
  agenda?: string;
  /** Merged over DEFAULT_MEETING_SETTINGS on create; on update sent only when given. */
  settings?: ZoomMeetingSettings;
}

export type ZoomMeetingSummary = Partial<ZoomMeeting> & { id: number };

export interface ZoomApiClient {
  getMe(accessToken: string): Promise<ZoomUser>;
  /** POST /users/me/meetings, a scheduled meeting (type 2). Not idempotent: a retry makes another. */
  createMeeting(accessToken: string, input: ZoomMeetingInput): Promise<ZoomMeeting>;
  /** GET /meetings/{id}: also the way to a fresh start_url (each lives 2 hours). */
  getMeeting(accessToken: string, meetingId: string): Promise<ZoomMeeting>;
  /** PATCH /meetings/{id} with only the given fields (204). */
  updateMeeting(accessToken: string, meetingId: string, input: Partial<ZoomMeetingInput>): Promise<void>;
  /** DELETE /meetings/{id} (204); a missing meeting throws not-found, which callers may treat as gone. */
  deleteMeeting(accessToken: string, meetingId: string): Promise<void>;
  /** One page (up to 300) of the host's upcoming meetings; pass nextPageToken back for the next. */
  listUpcomingMeetings(
    accessToken: string,
    pageToken?: string,
  ): Promise<{ meetings: ZoomMeetingSummary[]; nextPageToken?: string }>;
}

/** Zoom wants `yyyy-MM-ddTHH:mm:ssZ` in UTC, without milliseconds. */
export function zoomTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const PASSWORD = /^[A-Za-z0-9@_*-]{1,10}$/;

/** The request body for a create (every field) or a PATCH (only what changes). */
function meetingBody(input: Partial<ZoomMeetingInput>, create: boolean): Record<string, unknown> {
  if (input.password !== undefined && !PASSWORD.test(input.password)) {
    throw new ProviderError({
      provider: 'zoom',
      kind: 'rejected',
      message: 'meeting password must be 1-10 characters of [A-Za-z0-9@_*-]; not sent',
    });
  }
  const settings = create ? { ...DEFAULT_MEETING_SETTINGS, ...input.settings } : input.settings;
  return {
    ...(input.topic !== undefined && { topic: input.topic.slice(0, 200) }),
    ...(create && { type: 2 }),
    ...(input.startTime && { start_time: zoomTime(input.startTime), timezone: input.timezone ?? 'UTC' }),
    ...(input.durationMinutes !== undefined && { duration: input.durationMinutes }),
    ...(input.password !== undefined && { password: input.password }),
    ...(input.agenda !== undefined && { agenda: input.agenda.slice(0, 2000) }),
    ...(settings && { settings }),
  };
}

export function createZoomApiClient(config: Pick<ZoomConfig, 'apiBaseUrl' | 'timeoutMs'>): ZoomApiClient {
  const call = (method: string, path: string, accessToken: string, json?: unknown) =>
    providerFetch(
      {
        provider: 'zoom',
        method,
        url: `${config.apiBaseUrl}${path}`,
        headers: { authorization: `Bearer ${accessToken}` },
        json,
        timeoutMs: config.timeoutMs,
      },
      classifyZoom,
    );
  const meetingPath = (meetingId: string): string => `/meetings/${encodeURIComponent(meetingId)}`;

  return {
    async getMe(token) {
      return parseAnswer(zoomUser, await call('GET', '/users/me', token));
    },
    async createMeeting(token, input) {
      const body = meetingBody(input, true);
      return parseAnswer(zoomMeeting, await call('POST', '/users/me/meetings', token, body));
    },
    async getMeeting(token, meetingId) {
      return parseAnswer(zoomMeeting, await call('GET', meetingPath(meetingId), token));
    },
    async updateMeeting(token, meetingId, input) {
      await call('PATCH', meetingPath(meetingId), token, meetingBody(input, false));
    },
    async deleteMeeting(token, meetingId) {
      await call('DELETE', meetingPath(meetingId), token);
    },
    async listUpcomingMeetings(token, pageToken) {
      const query = new URLSearchParams({
        type: 'upcoming',
        page_size: '300',
        ...(pageToken ? { next_page_token: pageToken } : {}),
      });
      const page = parseAnswer(zoomMeetingList, await call('GET', `/users/me/meetings?${query}`, token));
      return { meetings: page.meetings, nextPageToken: page.next_page_token || undefined };
    },
  };
}
