import assert from 'node:assert/strict';
import {
  startZoomEmulator,
  type ZoomEmulator,
  type ZoomEmulatorOptions,
} from '../../emulators/zoom/emulator';

/** Helpers for the Zoom emulator's HTTP tests: plain fetch, as the service's client uses. */

export const CLIENT_ID = 'test-client-id';
export const CLIENT_SECRET = 'test-client-secret';
export const REDIRECT_URI = 'http://127.0.0.1:9/integrations/zoom/callback';
export const WEBHOOK_SECRET = 'test-webhook-secret';

export const basicAuth = (id = CLIENT_ID, secret = CLIENT_SECRET): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export function startTestZoom(options: Partial<ZoomEmulatorOptions> = {}): Promise<ZoomEmulator> {
  return startZoomEmulator({
    port: 0,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT_URI],
    webhookSecretToken: WEBHOOK_SECRET,
    ...options,
  });
}

/** GET /oauth/authorize without following the redirect; answers the Location URL. */
export async function authorize(zoom: ZoomEmulator, extra: Record<string, string> = {}): Promise<URL> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    state: 'st',
    ...extra,
  });
  const res = await fetch(`${zoom.oauthBaseUrl}/oauth/authorize?${query}`, { redirect: 'manual' });
  assert.equal(res.status, 302, await res.clone().text());
  return new URL(res.headers.get('location') ?? '');
}

export function tokenRequest(
  zoom: ZoomEmulator,
  fields: Record<string, string>,
  auth = basicAuth(),
): Promise<Response> {
  return fetch(`${zoom.oauthBaseUrl}/oauth/token`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

export interface TokenAnswer {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  api_url?: string;
}

/** The whole consent flow for the user that consent is set to (the demo user by default). */
export async function connect(zoom: ZoomEmulator, userId?: string): Promise<TokenAnswer> {
  if (userId) zoom.setConsent({ decision: 'approve', userId, for: 'next' });
  const code = (await authorize(zoom)).searchParams.get('code') ?? '';
  const res = await tokenRequest(zoom, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
  });
  assert.equal(res.status, 200);
  return (await res.json()) as TokenAnswer;
}

export function api(
  zoom: ZoomEmulator,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${zoom.apiBaseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export const MEETING = {
  topic: 'Algebra lesson',
  type: 2,
  start_time: '2031-03-01T15:00:00Z',
  duration: 45,
  timezone: 'UTC',
};
