import { randomUUID } from 'node:crypto';

/** What a Zoom handler answers; the same shape as the emulator kit's route result. */
export interface ZoomReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  text?: string;
  contentType?: string;
}

/** The request fields the Zoom handlers read; a subset of the kit's RouteContext.req. */
export interface ZoomRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer;
}

export interface FieldError {
  field: string;
  message: string;
}

/** Zoom puts a fresh tracking id on every answer; support tickets quote it. */
export const newTrackingId = (): string => `v=2.0;clid=us06;rid=WEB_${randomUUID().replace(/-/g, '')}`;

export const withTracking = (reply: ZoomReply): ZoomReply => ({
  ...reply,
  headers: { 'x-zm-trackingid': newTrackingId(), ...reply.headers },
});

/** A REST error: `{"code": <int>, "message": "<text>"}` (plus `errors` for validation). */
export function restError(
  status: number,
  code: number,
  message: string,
  headers?: Record<string, string>,
): ZoomReply {
  return { status, body: { code, message }, ...(headers ? { headers } : {}) };
}

export function validationFailed(errors: FieldError[]): ZoomReply {
  return { status: 400, body: { code: 300, message: 'Validation Failed.', errors } };
}

export const invalidJsonBody = (): ZoomReply =>
  restError(400, 300, 'Request Body should be a valid JSON object.');

/** An OAuth error: `{"reason": "...", "error": "..."}`. */
export function oauthError(status: number, error: string, reason: string): ZoomReply {
  return { status, body: { reason, error } };
}

/** OAuth's error code (RFC 6749) for an answer the emulator makes up: a fault or an unknown route. */
function oauthCodeFor(status: number): string {
  if (status === 401) return 'invalid_client';
  if (status === 429 || status === 503) return 'temporarily_unavailable';
  return status >= 500 ? 'server_error' : 'invalid_request';
}

/** Zoom's error body for a status: the OAuth shape under /oauth/, the REST shape elsewhere. */
export function zoomErrorBody(status: number, message: string, path: string): unknown {
  return path.startsWith('/oauth/')
    ? oauthError(status, oauthCodeFor(status), message).body
    : restError(status, status, message).body;
}

export const invalidGrant = (reason = 'Invalid authorization code'): ZoomReply =>
  oauthError(400, 'invalid_grant', reason);
export const invalidClient = (): ZoomReply =>
  oauthError(401, 'invalid_client', 'Invalid client_id or client_secret');
export const invalidRequest = (): ZoomReply => oauthError(400, 'invalid_request', 'Bad request');

export const redirect = (location: string): ZoomReply => ({ status: 302, headers: { location }, text: '' });

export function header(req: Pick<ZoomRequest, 'headers'>, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Parses a JSON request body; undefined when it is not a JSON object (Zoom's code 300). */
export function jsonObjectBody(req: Pick<ZoomRequest, 'rawBody'>): Record<string, unknown> | undefined {
  if (req.rawBody.length === 0) return undefined;
  try {
    const parsed: unknown = JSON.parse(req.rawBody.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Form fields of a request: the urlencoded body, falling back to the query string as Zoom does. */
export function formFields(req: Pick<ZoomRequest, 'rawBody' | 'query'>): URLSearchParams {
  const fields = new URLSearchParams(req.query);
  for (const [key, value] of new URLSearchParams(req.rawBody.toString('utf8'))) fields.set(key, value);
  return fields;
}
