import type { Classifier, ProviderResponse } from '../http';
import { zoomOAuthError, zoomRestError } from './schemas';

/** Zoom codes that mean the tutor's connection is dead (the caller decides about 124 after a refresh). */
const CONNECTION_CODES = new Set([124, 1001]);
const NOT_FOUND_CODES = new Set([3001]);

/** Zoom's per-host daily create/update limit, told apart from the per-second one (both are 429). */
function isDailyLimit(headers: ProviderResponse['headers'], message: string): boolean {
  const type = headers.get('x-ratelimit-type');
  return type ? /daily/i.test(type) : /daily rate limit/i.test(message);
}

/** REST errors are `{code, message}`; OAuth errors are `{reason, error}`. */
export const classifyZoom: Classifier = ({ status, body, headers }) => {
  const rest = zoomRestError.safeParse(body);
  if (rest.success) {
    const { code, message } = rest.data;
    if (status === 429)
      return { kind: 'transient', code, message, dailyLimit: isDailyLimit(headers, message) };
    if (CONNECTION_CODES.has(code)) return { kind: 'invalid-connection', code, message };
    if (NOT_FOUND_CODES.has(code) || status === 404) return { kind: 'not-found', code, message };
    return { kind: 'rejected', code, message };
  }
  const oauth = zoomOAuthError.safeParse(body);
  if (!oauth.success) {
    const dailyLimit = status === 429 && isDailyLimit(headers, '');
    return { kind: status === 404 ? 'not-found' : 'rejected', message: `status ${status}`, dailyLimit };
  }
  const data = oauth.data;
  // OAuth: invalid_grant is a dead refresh token or a bad/used code. invalid_client refuses our
  // app's own credentials (a secret rotated at Zoom and not here yet): nothing about the tutor, so
  // it waits for an operator like an outage, and no lesson moves over it. The rest are our mistakes.
  const kind =
    data.error === 'invalid_grant'
      ? 'invalid-connection'
      : data.error === 'invalid_client'
        ? 'transient'
        : 'rejected';
  return { kind, code: data.error, message: data.reason ?? data.error };
};
