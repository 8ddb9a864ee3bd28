import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startZoomEmulator, type ZoomEmulator } from '../../emulators/zoom/emulator';
import { createZoomApiClient, type ZoomApiClient } from '../../src/providers/zoom/api-client';
import type { ZoomConfig } from '../../src/providers/zoom/env';
import {
  createPkcePair,
  createZoomOAuthClient,
  type ZoomOAuthClient,
} from '../../src/providers/zoom/oauth-client';
import { expectProviderError } from './expect-provider-error';

/** The service's Zoom clients against the Zoom emulator: success paths, every error kind, faults. */

const REDIRECT = 'https://app.test/integrations/zoom/callback';
const CLIENT_SECRET = 'client-secret-value';
let zoom: ZoomEmulator;
let config: ZoomConfig;
let oauth: ZoomOAuthClient;
let api: ZoomApiClient;

before(async () => {
  zoom = await startZoomEmulator({
    clientId: 'cid',
    clientSecret: CLIENT_SECRET,
    redirectUris: [REDIRECT],
    webhookSecretToken: 'whsec-value',
    dailyMeetingLimit: 1000,
  });
  config = {
    clientId: 'cid',
    clientSecret: CLIENT_SECRET,
    redirectUri: REDIRECT,
    webhookSecretToken: 'whsec-value',
    oauthBaseUrl: zoom.oauthBaseUrl,
    apiBaseUrl: zoom.apiBaseUrl,
    timeoutMs: 2000,
  };
  oauth = createZoomOAuthClient(config);
  api = createZoomApiClient(config);
});
after(async () => zoom?.close());

let users = 0;
/** A tutor who consents in the browser: the authorize URL is followed to the redirect with the code. */
async function consent(): Promise<{ userId: string; code: string; verifier: string }> {
  const user = zoom.createUser({ email: `tutor${++users}@zoom.test` });
  zoom.setConsent({ decision: 'approve', userId: user.id, for: 'next' });
  const pkce = createPkcePair();
  const answer = await fetch(oauth.authorizeUrl({ state: 'st', codeChallenge: pkce.challenge }), {
    redirect: 'manual',
  });
  const location = new URL(answer.headers.get('location') ?? '');
  assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
  assert.equal(location.searchParams.get('state'), 'st');
  return { userId: user.id, code: location.searchParams.get('code') ?? '', verifier: pkce.verifier };
}

async function connect() {
  const { userId, code, verifier } = await consent();
  return { userId, ...(await oauth.exchangeCode({ code, codeVerifier: verifier })) };
}

const soon = (hours: number) => new Date(Math.ceil(Date.now() / 60_000) * 60_000 + hours * 3600_000);

test('OAuth: code exchange with PKCE, scopes read, the code works once, a wrong verifier is refused', async () => {
  const first = await consent();
  const tokens = await oauth.exchangeCode({ code: first.code, codeVerifier: first.verifier });
  assert.equal(tokens.expires_in, 3599);
  assert.deepEqual(tokens.scopes, ['meeting:read', 'meeting:write', 'user:read']);
  assert.equal((await api.getMe(tokens.access_token)).id, first.userId);
  const secrets = [first.code, first.verifier, tokens.access_token, CLIENT_SECRET];
  await expectProviderError(
    oauth.exchangeCode({ code: first.code, codeVerifier: first.verifier }),
    { kind: 'invalid-connection', status: 400, code: 'invalid_grant' },
    secrets,
  );
  const second = await consent();
  await expectProviderError(
    oauth.exchangeCode({ code: second.code, codeVerifier: first.verifier }),
    { kind: 'invalid-connection', code: 'invalid_grant' },
    [second.code, first.verifier, CLIENT_SECRET],
  );
});

test('OAuth: refresh rotates; the old refresh token is invalid_grant; a bad client is rejected', async () => {
  const tokens = await connect();
  const next = await oauth.refresh(tokens.refresh_token);
  assert.notEqual(next.refresh_token, tokens.refresh_token);
  assert.equal((await api.getMe(next.access_token)).id, tokens.userId);
  await expectProviderError(
    oauth.refresh(tokens.refresh_token),
    { kind: 'invalid-connection', status: 400, code: 'invalid_grant' },
    [tokens.refresh_token, CLIENT_SECRET],
  );
  const wrongClient = createZoomOAuthClient({ ...config, clientSecret: 'not-the-secret' });
  await expectProviderError(
    wrongClient.refresh(next.refresh_token),
    { kind: 'transient', status: 401, code: 'invalid_client' },
    [next.refresh_token, 'not-the-secret'],
  );
});

test('OAuth: revoke kills the grant; an expired access token and a deleted user are a dead connection', async () => {
  const revoked = await connect();
  await oauth.revoke(revoked.access_token);
  await expectProviderError(
    api.getMe(revoked.access_token),
    { kind: 'invalid-connection', status: 401, code: 124 },
    [revoked.access_token],
  );
  const expired = await connect();
  zoom.clock.advance(3600_000);
  try {
    const error = await expectProviderError(api.getMe(expired.access_token), {
      kind: 'invalid-connection',
      code: 124,
    });
    assert.match(error.message, /expired/);
  } finally {
    zoom.clock.advance(-3600_000);
  }
  const deleted = await connect();
  zoom.deleteUser(deleted.userId);
  await expectProviderError(api.getMe(deleted.access_token), {
    kind: 'invalid-connection',
    status: 404,
    code: 1001,
  });
});

test('meetings: create (type 2, UTC start, password, settings), get, PATCH only what changes, delete, then not-found', async () => {
  const { access_token: token } = await connect();
  const start = soon(24);
  const created = await api.createMeeting(token, {
    topic: 'Algebra',
    startTime: start,
    durationMinutes: 45,
    timezone: 'Europe/Paris',
    password: 'abc123',
    agenda: 'Lesson [lesson:1]',
    settings: { waiting_room: false },
  });
  const sent = JSON.parse(zoom.requests.find({ method: 'POST', path: /\/meetings$/ }).at(-1)?.body ?? '{}');
  assert.equal(sent.type, 2);
  assert.match(sent.start_time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.deepEqual(sent.settings, {
    join_before_host: false,
    waiting_room: false,
    host_video: true,
    participant_video: true,
    mute_upon_entry: true,
  });
  assert.equal(created.duration, 45);
  assert.equal(created.password, 'abc123');
  assert.equal(Date.parse(created.start_time ?? ''), start.getTime());
  const id = String(created.id);
  const fetched = await api.getMeeting(token, id);
  assert.equal(fetched.join_url, created.join_url);
  assert.ok(fetched.start_url);

  const moved = soon(48);
  await api.updateMeeting(token, id, { startTime: moved, durationMinutes: 60 });
  const patch = JSON.parse(zoom.requests.find({ method: 'PATCH' }).at(-1)?.body ?? '{}');
  assert.deepEqual(Object.keys(patch).sort(), ['duration', 'start_time', 'timezone']);
  const after = await api.getMeeting(token, id);
  assert.equal(Date.parse(after.start_time ?? ''), moved.getTime());
  assert.equal(after.duration, 60);
  assert.equal(after.settings && (after.settings as { waiting_room?: boolean }).waiting_room, false);

  await api.deleteMeeting(token, id);
  await expectProviderError(api.deleteMeeting(token, id), { kind: 'not-found', status: 404, code: 3001 });
  const gone = await expectProviderError(api.getMeeting(token, id), { kind: 'not-found', code: 3001 });
  // Zoom's tracking id travels with the error (its support asks for it), in the message that is logged.
  assert.match(gone.requestId ?? '', /\S/, 'the tracking id is kept');
  assert.ok(gone.message.includes(`x-zm-trackingid ${gone.requestId}`), gone.message);
  await expectProviderError(api.updateMeeting(token, id, { durationMinutes: 30 }), { kind: 'not-found' });
});

test('meetings: a password Zoom would refuse is refused before sending; a Zoom validation error is rejected', async () => {
  const { access_token: token } = await connect();
  const before = zoom.requests.total;
  await expectProviderError(
    api.createMeeting(token, {
      topic: 't',
      startTime: soon(2),
      durationMinutes: 30,
      password: 'elevenchars',
    }),
    { kind: 'rejected', status: undefined },
  );
  assert.equal(zoom.requests.total, before, 'nothing was sent');
  await expectProviderError(
    api.createMeeting(token, { topic: 't', startTime: soon(2), durationMinutes: -5 }),
    {
      kind: 'rejected',
      status: 400,
      code: 300,
    },
  );
});

test('listUpcomingMeetings pages through more than one page', async () => {
  const { access_token: token } = await connect();
  const made = 305;
  for (let i = 0; i < made; i++)
    await api.createMeeting(token, { topic: `m${i}`, startTime: soon(1 + i), durationMinutes: 30 });
  const first = await api.listUpcomingMeetings(token);
  assert.equal(first.meetings.length, 300);
  assert.ok(first.nextPageToken);
  const second = await api.listUpcomingMeetings(token, first.nextPageToken);
  assert.equal(second.meetings.length, made - 300);
  assert.equal(second.nextPageToken, undefined);
  assert.equal(new Set([...first.meetings, ...second.meetings].map((m) => m.id)).size, made);
});
