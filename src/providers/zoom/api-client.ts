import { providerFetch } from '../http';
import { classifyZoom } from './classify';
import type { ZoomConfig } from './env';
import { zoomMeeting, zoomMeetingList, zoomUser, type ZoomMeeting, type ZoomUser } from './schemas';

export interface ZoomMeetingInput {
  topic: string;
  startTime: Date;
  durationMinutes: number;
  timezone?: string;
  password?: string;
  agenda?: string;
}

export interface ZoomApiClient {
  getMe(accessToken: string): Promise<ZoomUser>;
  createMeeting(accessToken: string, input: ZoomMeetingInput): Promise<ZoomMeeting>;
  getMeeting(accessToken: string, meetingId: string): Promise<ZoomMeeting>;
  updateMeeting(accessToken: string, meetingId: string, input: Partial<ZoomMeetingInput>): Promise<void>;
  deleteMeeting(accessToken: string, meetingId: string): Promise<void>;
  /** One page of the host's upcoming meetings. */
  listUpcomingMeetings(
    accessToken: string,
    pageToken?: string,
  ): Promise<{ meetings: Array<Partial<ZoomMeeting> & { id: number }>; nextPageToken?: string }>;
}

/** Zoom wants `yyyy-MM-ddTHH:mm:ssZ` in UTC, without milliseconds. */
export function zoomTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function meetingBody(input: Partial<ZoomMeetingInput>): Record<string, unknown> {
  return {
    ...(input.topic !== undefined && { topic: input.topic.slice(0, 200) }),
    type: 2,
    ...(input.startTime && { start_time: zoomTime(input.startTime), timezone: input.timezone ?? 'UTC' }),
    ...(input.durationMinutes !== undefined && { duration: input.durationMinutes }),
    ...(input.password !== undefined && { password: input.password }),
    ...(input.agenda !== undefined && { agenda: input.agenda.slice(0, 2000) }),
    settings: {
      join_before_host: false,
      waiting_room: true,
      host_video: true,
      participant_video: true,
      mute_upon_entry: true,
    },
  };
}

export function createZoomApiClient(config: ZoomConfig): ZoomApiClient {
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

  return {
    async getMe(token) {
      return zoomUser.parse((await call('GET', '/users/me', token)).body);
    },
    async createMeeting(token, input) {
      return zoomMeeting.parse((await call('POST', '/users/me/meetings', token, meetingBody(input))).body);
    },
    async getMeeting(token, meetingId) {
      return zoomMeeting.parse((await call('GET', `/meetings/${encodeURIComponent(meetingId)}`, token)).body);
    },
    async updateMeeting(token, meetingId, input) {
      await call('PATCH', `/meetings/${encodeURIComponent(meetingId)}`, token, meetingBody(input));
    },
    async deleteMeeting(token, meetingId) {
      await call('DELETE', `/meetings/${encodeURIComponent(meetingId)}`, token);
    },
    async listUpcomingMeetings(token, pageToken) {
      const query = new URLSearchParams({
        type: 'upcoming',
        page_size: '300',
        ...(pageToken ? { next_page_token: pageToken } : {}),
      });
      const page = zoomMeetingList.parse((await call('GET', `/users/me/meetings?${query}`, token)).body);
      return { meetings: page.meetings, nextPageToken: page.next_page_token || undefined };
    },
  };
}
