import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { startZoomEmulator, type ZoomEmulator } from '../../emulators/zoom/emulator';
import { createZoomApiClient, type ZoomApiClient } from '../../src/providers/zoom/api-client';
import type { ZoomConfig } from '../../src/providers/zoom/env';
import { createPkcePair, createZoomOAuthClient } from '../../src/providers/zoom/oauth-client';
import { expectProviderError } from './expect-provider-error';

/** Zoom on a bad day: rate limits in both Retry-After forms, 5xx, hangs, resets, odd answers. */

const REDIRECT = 'https://app.test/cb';
let zoom: ZoomEmulator;
let config: ZoomConfig;
let api: ZoomApiClient;
let token: string;
let refreshToken: string;

before(async () => {
  zoom = await startZoomEmulator({
    clientId: 'cid',
    clientSecret: 'client-secret-value',
    redirectUris: [REDIRECT],
    webhookSecretToken: 'whsec-value',
  });
  config = {
    clientId: 'cid',
    clientSecret: 'client-secret-value',
    redirectUri: REDIRECT,
    webhookSecretToken: 'whsec-value',
    oauthBaseUrl: zoom.oauthBaseUrl,
    apiBaseUrl: zoom.apiBaseUrl,
    timeoutMs: 2000,
  };
  api = createZoomApiClient(config);
  const oauth = createZoomOAuthClient(config);
  const user = zoom.createUser({ email: 'tutor@zoom.test' });
  zoom.setConsent({ decision: 'approve', userId: user.id, for: 'every' });
  const pkce = createPkcePair();
  const answer = await fetch(oauth.authorizeUrl({ state: 's', codeChallenge: pkce.challenge }), {
    redirect: 'manual',
  });
  const code = new URL(answer.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const tokens = await oauth.exchangeCode({ code, codeVerifier: pkce.verifier });
  token = tokens.access_token;
  refreshToken = tokens.refresh_token;
});
beforeEach(() => zoom?.faults.clear());
after(async () => zoom?.close());

const meeting = () => ({
  topic: 'Lesson',
  startTime: new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 86_400_000),
  durationMinutes: 30,
});

test('429 per-second limit with Retry-After in seconds: transient, its delay, not the daily limit', async () => {
  zoom.faults.add({ route: 'GET /v2/users/me', status: 429, retryAfter: { seconds: 2 }, firstN: 1 });
  const error = await expectProviderError(
    api.getMe(token),
    { kind: 'transient', status: 429, dailyLimit: false },
    [token],
  );
  assert.equal(error.retryAfterMs, 2000);
  assert.ok(await api.getMe(token), 'the next call goes through');
});

test('429 with Retry-After as an ISO date: transient, the delay up to that moment', async () => {
  zoom.faults.add({
    route: 'GET /v2/users/me',
    status: 429,
    retryAfter: { isoDateInSeconds: 30 },
    firstN: 1,
  });
  const error = await expectProviderError(api.getMe(token), { kind: 'transient', status: 429 });
  assert.ok(error.retryAfterMs !== undefined && error.retryAfterMs > 25_000 && error.retryAfterMs <= 30_000);
});

test("Zoom's real daily create/update limit: transient, flagged dailyLimit, with the ISO Retry-After delay", async () => {
  zoom.updateSettings({ dailyMeetingLimit: 1 });
  try {
    await api.createMeeting(token, meeting());
    const error = await expectProviderError(
      api.createMeeting(token, meeting()),
      { kind: 'transient', status: 429, code: 429, dailyLimit: true },
      [token],
    );
    const header = zoom.requests.find({ method: 'POST' }).at(-1);
    assert.equal(header?.status, 429);
    assert.ok(error.retryAfterMs !== undefined && error.retryAfterMs > 0 && error.retryAfterMs <= 6000);
  } finally {
    zoom.updateSettings({ dailyMeetingLimit: 100 });
  }
});

test('5xx answers are transient, with or without a Zoom body', async () => {
  zoom.faults.add({ route: 'POST /v2/users/:userId/meetings', status: 500, firstN: 1 });
  await expectProviderError(api.createMeeting(token, meeting()), { kind: 'transient', status: 500 });
  zoom.faults.add({ route: 'POST /oauth/token', status: 503, body: 'upstream down', firstN: 1 });
  await expectProviderError(createZoomOAuthClient(config).refresh(refreshToken), {
    kind: 'transient',
    status: 503,
  });
});

test('a hang past the client timeout is transient, and the call gives up on time', async () => {
  zoom.faults.add({ route: 'GET /v2/users/me', hang: 'before', firstN: 1 });
  const quick = createZoomApiClient({ ...config, timeoutMs: 150 });
  const started = Date.now();
  await expectProviderError(quick.getMe(token), { kind: 'transient', code: 'timeout' }, [token]);
  assert.ok(Date.now() - started < 1500, 'gave up near the timeout');
});

test('a reset connection is transient; after a reset "after", the meeting exists although the answer was lost', async () => {
  zoom.faults.add({ route: 'GET /v2/users/me', reset: 'before', firstN: 1 });
  await expectProviderError(api.getMe(token), { kind: 'transient' }, [token]);
  const before = zoom.meetings().length;
  zoom.faults.add({ route: 'POST /v2/users/:userId/meetings', reset: 'after', firstN: 1 });
  await expectProviderError(api.createMeeting(token, meeting()), { kind: 'transient', status: undefined });
  assert.equal(zoom.meetings().length, before + 1, 'Zoom made it: callers must look before they retry');
});

test('a 2xx body of the wrong shape is invalid-response; an error echoing our token is redacted', async () => {
  zoom.faults.add({ route: 'GET /v2/users/me', status: 200, body: { hello: 'world' }, firstN: 1 });
  await expectProviderError(api.getMe(token), { kind: 'invalid-response', status: 200 });
  zoom.faults.add({
    route: 'GET /v2/users/me',
    status: 400,
    body: { code: 300, message: `Bad token ${token}` },
    firstN: 1,
  });
  const error = await expectProviderError(api.getMe(token), { kind: 'rejected', code: 300 }, [token]);
  assert.match(error.message, /Bad token \[redacted\]/);
  zoom.faults.add({
    route: 'POST /oauth/token',
    status: 400,
    body: { error: 'invalid_grant', reason: `Invalid Token! ${refreshToken}` },
    firstN: 1,
  });
  await expectProviderError(
    createZoomOAuthClient(config).refresh(refreshToken),
    { kind: 'invalid-connection', code: 'invalid_grant' },
    [refreshToken, 'client-secret-value'],
  );
});
