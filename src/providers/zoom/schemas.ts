import { z } from 'zod';
import { textField } from '../../schemas/text';

/** The token answer; `scope` is space-separated (read into `scopes`), `api_url` may be absent. */
export const tokenResponse = z
  .looseObject({
    access_token: z.string().min(1),
    token_type: z.string(),
    refresh_token: z.string().min(1),
    expires_in: z.number().int().positive(),
    scope: z.string().optional(),
    api_url: z.string().optional(),
  })
  .transform((tokens) => ({ ...tokens, scopes: tokens.scope?.split(' ').filter(Boolean) ?? [] }));
export type ZoomTokens = z.output<typeof tokenResponse>;

/** Zoom is a party like any other: an id or email we could not store or show is an unreadable answer. */
export const zoomUser = z.looseObject({
  id: textField.zoomUserId(),
  email: textField.email(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  display_name: z.string().optional(),
  account_id: z.string().optional(),
  timezone: z.string().optional(),
  status: z.string().optional(),
});
export type ZoomUser = z.infer<typeof zoomUser>;

export const zoomMeeting = z.looseObject({
  id: z.number(),
  uuid: z.string().optional(),
  host_id: z.string().optional(),
  topic: z.string().optional(),
  type: z.number().optional(),
  start_time: z.string().optional(),
  duration: z.number().optional(),
  timezone: z.string().optional(),
  agenda: z.string().optional(),
  join_url: z.string(),
  start_url: z.string().optional(),
  password: z.string().optional(),
});
export type ZoomMeeting = z.infer<typeof zoomMeeting>;

export const zoomMeetingList = z.looseObject({
  meetings: z.array(zoomMeeting.partial({ join_url: true })),
  next_page_token: z.string().optional(),
});

/** Zoom's error bodies: REST `{code, message}`, OAuth `{reason, error}`. */
export const zoomRestError = z.looseObject({ code: z.number(), message: z.string() });
export const zoomOAuthError = z.looseObject({ error: z.string(), reason: z.string().optional() });
