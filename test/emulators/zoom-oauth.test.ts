import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ZoomEmulator } from '../../emulators/zoom/emulator';
import {
  api,
  authorize,
  basicAuth,
  CLIENT_ID,
  connect,
  REDIRECT_URI,
  startTestZoom,
  tokenRequest,
  type TokenAnswer,
} from './zoom-http-support';

/** Zoom OAuth through plain fetch: every status, body and header the contract names. */

let zoom: ZoomEmulator;

void describe('Zoom emulator: OAuth over HTTP', () => {
  before(async () => {
    zoom = await startTestZoom();
  });
  after(() => zoom.close());

  void it('redirects back with code and state by default, with a tracking id', async () => {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      state: 'xyz',
    });
    const res = await fetch(`${zoom.oauthBaseUrl}/oauth/authorize?${query}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.ok(res.headers.get('x-zm-trackingid'));
    const location = new URL(res.headers.get('location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
    assert.equal(location.searchParams.get('state'), 'xyz');
    assert.ok(location.searchParams.get('code'));
  });

  void it('redirects with error=access_denied when told to refuse', async () => {
    const res = await fetch(`${zoom.url}/_emulator/zoom/consent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision: 'deny', for: 'next' }),
    });
    assert.equal(res.status, 204);
    const denied = await authorize(zoom);
    assert.equal(denied.searchParams.get('error'), 'access_denied');
    assert.equal(denied.searchParams.get('state'), 'st');
    assert.equal(denied.searchParams.get('code'), null);
  });

  void it('shows a consent page only when asked', async () => {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      prompt: 'consent',
    });
    const res = await fetch(`${zoom.oauthBaseUrl}/oauth/authorize?${query}`, { redirect: 'manual' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /demo\.tutor@example\.com/);
  });

  void it('answers the token exchange exactly as the contract says', async () => {
    const tokens = await connect(zoom);
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.expires_in, 3599);
    assert.match(tokens.scope, /^\S+( \S+)*$/);
    assert.ok(tokens.access_token && tokens.refresh_token);
    assert.equal(tokens.api_url, zoom.url);
  });

  void it('makes codes single-use and expire after five minutes', async () => {
    const code = (await authorize(zoom)).searchParams.get('code') ?? '';
    const fields = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI };
    assert.equal((await tokenRequest(zoom, fields)).status, 200);
    const reused = await tokenRequest(zoom, fields);
    assert.equal(reused.status, 400);
    assert.deepEqual(await reused.json(), { reason: 'Invalid authorization code', error: 'invalid_grant' });

    const late = (await authorize(zoom)).searchParams.get('code') ?? '';
    zoom.clock.advance(5 * 60_000 + 1000);
    const expired = await tokenRequest(zoom, { ...fields, code: late });
    assert.deepEqual(
      [expired.status, await expired.json()],
      [400, { reason: 'Invalid authorization code', error: 'invalid_grant' }],
    );
  });

  void it('checks the PKCE verifier when a challenge was sent', async () => {
    const verifier = 'correct-horse-battery-staple-correct-horse-battery';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
    const code1 = (await authorize(zoom, pkce)).searchParams.get('code') ?? '';
    const base = { grant_type: 'authorization_code', redirect_uri: REDIRECT_URI };
    const wrong = await tokenRequest(zoom, { ...base, code: code1, code_verifier: `${verifier}x` });
    assert.equal(wrong.status, 400);
    assert.equal(((await wrong.json()) as { error: string }).error, 'invalid_grant');
    const code2 = (await authorize(zoom, pkce)).searchParams.get('code') ?? '';
    assert.equal(
      (await tokenRequest(zoom, { ...base, code: code2 })).status,
      400,
      'a missing verifier fails',
    );
    const code3 = (await authorize(zoom, pkce)).searchParams.get('code') ?? '';
    assert.equal((await tokenRequest(zoom, { ...base, code: code3, code_verifier: verifier })).status, 200);
  });

  void it('answers invalid_client, invalid_request and a redirect_uri mismatch', async () => {
    const badClient = await tokenRequest(
      zoom,
      { grant_type: 'refresh_token', refresh_token: 'x' },
      basicAuth(CLIENT_ID, 'wrong'),
    );
    assert.equal(badClient.status, 401);
    assert.deepEqual(await badClient.json(), {
      reason: 'Invalid client_id or client_secret',
      error: 'invalid_client',
    });
    const malformed = await tokenRequest(zoom, { grant_type: 'refresh_token' });
    assert.deepEqual(
      [malformed.status, await malformed.json()],
      [400, { reason: 'Bad request', error: 'invalid_request' }],
    );
    const code = (await authorize(zoom)).searchParams.get('code') ?? '';
    const mismatch = await tokenRequest(zoom, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: `${REDIRECT_URI}/other`,
    });
    assert.equal(((await mismatch.json()) as { error: string }).error, 'invalid_grant');
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: 'http://evil.test/cb',
    });
    assert.equal(
      (await fetch(`${zoom.oauthBaseUrl}/oauth/authorize?${query}`, { redirect: 'manual' })).status,
      400,
    );
  });

  void it('rotates refresh tokens: a used one fails with Invalid Token!', async () => {
    const first = await connect(zoom);
    const refresh = (token: string) =>
      tokenRequest(zoom, { grant_type: 'refresh_token', refresh_token: token });
    const second = await refresh(first.refresh_token);
    assert.equal(second.status, 200);
    const rotated = (await second.json()) as TokenAnswer;
    assert.notEqual(rotated.refresh_token, first.refresh_token);
    const reused = await refresh(first.refresh_token);
    assert.deepEqual(
      [reused.status, await reused.json()],
      [400, { reason: 'Invalid Token!', error: 'invalid_grant' }],
    );
    assert.equal((await refresh(rotated.refresh_token)).status, 200);
  });

  void it('gives exactly one success to 50 concurrent refreshes with one token', async () => {
    const { refresh_token } = await connect(zoom);
    const before = zoom.refreshCount();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => tokenRequest(zoom, { grant_type: 'refresh_token', refresh_token })),
    );
    assert.deepEqual(answers.map((r) => r.status).sort(), [200, ...Array<number>(49).fill(400)]);
    assert.equal(zoom.refreshCount() - before, 1);
  });

  void it('expires access tokens on the emulator clock', async () => {
    const { access_token } = await connect(zoom);
    assert.equal((await api(zoom, access_token, 'GET', '/users/me')).status, 200);
    zoom.clock.advance(3600_000);
    const expired = await api(zoom, access_token, 'GET', '/users/me');
    assert.deepEqual(
      [expired.status, await expired.json()],
      [401, { code: 124, message: 'Access token is expired.' }],
    );
  });

  void it('revokes a token: 200 success, then 124', async () => {
    const { access_token, refresh_token } = await connect(zoom);
    const res = await fetch(`${zoom.oauthBaseUrl}/oauth/revoke`, {
      method: 'POST',
      headers: { authorization: basicAuth(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: access_token }),
    });
    assert.deepEqual([res.status, await res.json()], [200, { status: 'success' }]);
    const after = await api(zoom, access_token, 'GET', '/users/me');
    assert.deepEqual(
      [after.status, await after.json()],
      [401, { code: 124, message: 'Invalid access token.' }],
    );
    assert.equal((await tokenRequest(zoom, { grant_type: 'refresh_token', refresh_token })).status, 400);
  });
});
