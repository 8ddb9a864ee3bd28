import {
  invalidJsonBody,
  jsonObjectBody,
  validationFailed,
  type FieldError,
  type ZoomReply,
  type ZoomRequest,
} from './replies';
import { isTimeZone, parseZoomTime } from './zoned-time';

/** The meeting fields the emulator understands, checked as Zoom checks them. Unknown fields are ignored, as Zoom does. */
export interface MeetingFields {
  topic?: string;
  type?: number;
  startTimeMs?: number;
  duration?: number;
  timezone?: string;
  password?: string;
  agenda?: string;
  defaultPassword?: boolean;
  preSchedule?: boolean;
  settings?: Record<string, unknown>;
}

export type MeetingValidation = { ok: true; fields: MeetingFields } | { ok: false; reply: ZoomReply };

export const MEETING_TYPES = [1, 2, 3, 8, 10];

const SETTING_ENUMS: Record<string, readonly unknown[]> = {
  approval_type: [0, 1, 2],
  registration_type: [1, 2, 3],
  audio: ['both', 'telephony', 'voip', 'thirdParty'],
  auto_recording: ['local', 'cloud', 'none'],
  jbh_time: [0, 5, 10, 15],
  encryption_type: ['enhanced_encryption', 'e2ee'],
};

const SETTING_BOOLEANS = [
  'host_video',
  'participant_video',
  'join_before_host',
  'mute_upon_entry',
  'waiting_room',
  'watermark',
  'use_pmi',
  'private_meeting',
  'meeting_authentication',
  'allow_multiple_devices',
  'email_notification',
  'registrants_email_notification',
  'focus_mode',
  'auto_start_meeting_summary',
];

/** Reads and checks a create or update body; `fallbackTimeZone` reads a local start_time. */
export function validateMeetingBody(
  req: Pick<ZoomRequest, 'rawBody'>,
  fallbackTimeZone: string,
): MeetingValidation {
  const body = jsonObjectBody(req);
  if (!body) return { ok: false, reply: invalidJsonBody() };
  const errors: FieldError[] = [];
  const invalid = (field: string): undefined => void errors.push({ field, message: 'Invalid field.' });
  const text = (field: string, max: number): string | undefined => {
    const value = body[field];
    if (value === undefined) return undefined;
    return typeof value === 'string' && value.length <= max ? value : invalid(field);
  };
  const integer = (field: string, allowed?: readonly number[]): number | undefined => {
    const value = body[field];
    if (value === undefined) return undefined;
    const ok =
      Number.isSafeInteger(value) &&
      (value as number) >= 0 &&
      (!allowed || allowed.includes(value as number));
    return ok ? (value as number) : invalid(field);
  };
  const flag = (field: string): boolean | undefined => {
    const value = body[field];
    return value === undefined || typeof value === 'boolean' ? value : invalid(field);
  };

  const fields: MeetingFields = {
    topic: text('topic', 200),
    type: integer('type', MEETING_TYPES),
    duration: integer('duration'),
    password: text('password', 10),
    agenda: text('agenda', 2000),
    defaultPassword: flag('default_password'),
    preSchedule: flag('pre_schedule'),
  };
  const timezone = text('timezone', 100);
  if (timezone !== undefined && timezone !== '' && !isTimeZone(timezone)) invalid('timezone');
  else if (timezone) fields.timezone = timezone;
  const startTime = text('start_time', 40);
  if (startTime !== undefined) {
    fields.startTimeMs = parseZoomTime(startTime, fields.timezone ?? fallbackTimeZone);
    if (fields.startTimeMs === undefined) invalid('start_time');
  }
  if (body.settings !== undefined) fields.settings = validateSettings(body.settings, errors);

  if (errors.length > 0) return { ok: false, reply: validationFailed(errors) };
  for (const key of Object.keys(fields) as Array<keyof MeetingFields>)
    if (fields[key] === undefined) delete fields[key];
  return { ok: true, fields };
}

function validateSettings(value: unknown, errors: FieldError[]): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    errors.push({ field: 'settings', message: 'Invalid field.' });
    return undefined;
  }
  const settings = value as Record<string, unknown>;
  for (const [key, setting] of Object.entries(settings)) {
    const allowed = SETTING_ENUMS[key];
    const bad = allowed
      ? !allowed.includes(setting)
      : SETTING_BOOLEANS.includes(key) && typeof setting !== 'boolean';
    if (bad) errors.push({ field: `settings.${key}`, message: 'Invalid field.' });
  }
  return { ...settings };
}
