import type { MeetingFields } from './meeting-validation';
import { newMeetingNumber, newMeetingUuid, newPasscode, randomAlnum } from './random';
import type { ZoomUser } from './users';
import { formatZoomTime } from './zoned-time';

export interface StoredMeeting {
  id: number;
  uuid: string;
  hostId: string;
  topic: string;
  type: number;
  startTimeMs: number;
  duration: number;
  timezone: string;
  password: string;
  encryptedPassword: string;
  agenda?: string;
  preSchedule: boolean;
  /** Only what the client set; defaults are added when rendering, to keep memory small. */
  settings: Record<string, unknown>;
  createdAtMs: number;
}

export type ListType = 'scheduled' | 'live' | 'upcoming' | 'upcoming_meetings' | 'previous_meetings';
export const LIST_TYPES: readonly ListType[] = [
  'scheduled',
  'live',
  'upcoming',
  'upcoming_meetings',
  'previous_meetings',
];

/** Meetings by id, with a per-host index for listing. Zoom has no idempotency key: every create is new. */
export class MeetingStore {
  private meetings = new Map<number, StoredMeeting>();
  private byHost = new Map<string, Set<number>>();

  create(host: ZoomUser, fields: MeetingFields, nowMs: number): StoredMeeting {
    let id = newMeetingNumber();
    while (this.meetings.has(id)) id = newMeetingNumber();
    let type = fields.type ?? 2;
    // A scheduled meeting without a start time becomes an instant meeting, as Zoom documents.
    if ((type === 2 || type === 8) && fields.startTimeMs === undefined) type = 1;
    const password = fields.password ?? (fields.defaultPassword === false ? '' : newPasscode());
    const meeting: StoredMeeting = {
      id,
      uuid: newMeetingUuid(),
      hostId: host.id,
      topic: fields.topic ?? 'Zoom Meeting',
      type,
      startTimeMs: fields.startTimeMs ?? nowMs,
      duration: fields.duration ?? 60,
      timezone: fields.timezone ?? host.timezone,
      password,
      encryptedPassword: password ? randomAlnum(32) : '',
      ...(fields.agenda !== undefined ? { agenda: fields.agenda } : {}),
      preSchedule: fields.preSchedule ?? false,
      settings: fields.settings ?? {},
      createdAtMs: nowMs,
    };
    this.add(meeting);
    return meeting;
  }

  get(id: number): StoredMeeting | undefined {
    return this.meetings.get(id);
  }

  update(meeting: StoredMeeting, fields: MeetingFields): void {
    if (fields.topic !== undefined) meeting.topic = fields.topic;
    if (fields.type !== undefined) meeting.type = fields.type;
    if (fields.startTimeMs !== undefined) meeting.startTimeMs = fields.startTimeMs;
    if (fields.duration !== undefined) meeting.duration = fields.duration;
    if (fields.timezone !== undefined) meeting.timezone = fields.timezone;
    if (fields.agenda !== undefined) meeting.agenda = fields.agenda;
    if (fields.preSchedule !== undefined) meeting.preSchedule = fields.preSchedule;
    if (fields.password !== undefined && fields.password !== meeting.password) {
      meeting.password = fields.password;
      meeting.encryptedPassword = fields.password ? randomAlnum(32) : '';
    }
    if (fields.settings) meeting.settings = { ...meeting.settings, ...fields.settings };
  }

  delete(id: number): boolean {
    const meeting = this.meetings.get(id);
    if (!meeting) return false;
    this.meetings.delete(id);
    this.byHost.get(meeting.hostId)?.delete(id);
    return true;
  }

  /** A host's meetings of a list type, in start-time order. */
  list(hostId: string, type: ListType, nowMs: number): StoredMeeting[] {
    const ids = this.byHost.get(hostId) ?? new Set<number>();
    const endMs = (m: StoredMeeting): number => m.startTimeMs + m.duration * 60_000;
    const keep: Record<ListType, (m: StoredMeeting) => boolean> = {
      scheduled: () => true,
      live: () => false,
      upcoming: (m) => endMs(m) > nowMs,
      upcoming_meetings: (m) => endMs(m) > nowMs,
      previous_meetings: (m) => endMs(m) <= nowMs,
    };
    return [...ids]
      .map((id) => this.meetings.get(id))
      .filter((m): m is StoredMeeting => m !== undefined && keep[type](m))
      .sort((a, b) => a.startTimeMs - b.startTimeMs || a.id - b.id);
  }

  all(): StoredMeeting[] {
    return [...this.meetings.values()];
  }

  get size(): number {
    return this.meetings.size;
  }

  restore(meetings: StoredMeeting[]): void {
    this.meetings = new Map();
    this.byHost = new Map();
    for (const meeting of meetings) this.add(meeting);
  }

  private add(meeting: StoredMeeting): void {
    this.meetings.set(meeting.id, meeting);
    const ids = this.byHost.get(meeting.hostId) ?? new Set<number>();
    ids.add(meeting.id);
    this.byHost.set(meeting.hostId, ids);
  }
}

const DEFAULT_MEETING_SETTINGS = {
  host_video: false,
  participant_video: false,
  cn_meeting: false,
  in_meeting: false,
  join_before_host: false,
  jbh_time: 0,
  mute_upon_entry: false,
  watermark: false,
  use_pmi: false,
  approval_type: 2,
  audio: 'voip',
  auto_recording: 'none',
  enforce_login: false,
  enforce_login_domains: '',
  alternative_hosts: '',
  close_registration: false,
  show_share_button: false,
  allow_multiple_devices: false,
  registrants_confirmation_email: true,
  waiting_room: false,
  request_permission_to_unmute_participants: false,
  registrants_email_notification: true,
  meeting_authentication: false,
  encryption_type: 'enhanced_encryption',
  approved_or_denied_countries_or_regions: { enable: false },
  breakout_room: { enable: false },
  alternative_hosts_email_notification: true,
  device_testing: false,
  focus_mode: false,
  private_meeting: false,
  email_notification: true,
  host_save_video_order: false,
};

export const joinUrl = (baseUrl: string, m: StoredMeeting): string =>
  `${baseUrl}/j/${m.id}${m.encryptedPassword ? `?pwd=${m.encryptedPassword}.1` : ''}`;

/** The body of create (201) and GET (200). */
export function meetingResource(
  m: StoredMeeting,
  host: ZoomUser,
  baseUrl: string,
  startUrl: string,
): Record<string, unknown> {
  return {
    uuid: m.uuid,
    id: m.id,
    host_id: m.hostId,
    host_email: host.email,
    topic: m.topic,
    type: m.type,
    status: 'waiting',
    start_time: formatZoomTime(m.startTimeMs),
    duration: m.duration,
    timezone: m.timezone,
    ...(m.agenda !== undefined ? { agenda: m.agenda } : {}),
    created_at: formatZoomTime(m.createdAtMs),
    start_url: startUrl,
    join_url: joinUrl(baseUrl, m),
    password: m.password,
    h323_password: m.password,
    pstn_password: m.password,
    encrypted_password: m.encryptedPassword,
    settings: { ...DEFAULT_MEETING_SETTINGS, ...m.settings },
    pre_schedule: m.preSchedule,
    creation_source: 'open_api',
  };
}

/** Zoom cuts a listed meeting's agenda at 250 characters; GET /meetings/{id} has it whole. */
const LISTED_AGENDA_MAX = 250;

/** One entry of `GET /users/{userId}/meetings`. */
export function meetingListItem(m: StoredMeeting, baseUrl: string): Record<string, unknown> {
  return {
    uuid: m.uuid,
    id: m.id,
    host_id: m.hostId,
    topic: m.topic,
    type: m.type,
    start_time: formatZoomTime(m.startTimeMs),
    duration: m.duration,
    timezone: m.timezone,
    ...(m.agenda !== undefined ? { agenda: Array.from(m.agenda).slice(0, LISTED_AGENDA_MAX).join('') } : {}),
    created_at: formatZoomTime(m.createdAtMs),
    join_url: joinUrl(baseUrl, m),
  };
}
