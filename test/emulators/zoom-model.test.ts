import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  authorizeCode,
  BASE,
  bearer,
  bodyOf,
  connect,
  exchange,
  REDIRECT,
  request,
  setup,
} from './zoom-support';

/** The Zoom domain model without HTTP: OAuth and tokens. */

void describe('Zoom model: OAuth', () => {
  void it('approves as the demo user by default and echoes state', () => {
    const { model } = setup();
    const url = authorizeCode(model);
    assert.equal(url.origin + url.pathname, REDIRECT);
    assert.equal(url.searchParams.get('state'), 's1');
    assert.match(url.searchParams.get('code') ?? '', /^\w{32}$/);
  });

  void it('refuses with access_denied when told to, once', () => {
    const { model } = setup();
    model.setConsent({ decision: 'deny', for: 'next' });
    const denied = authorizeCode(model);
    assert.equal(denied.searchParams.get('error'), 'access_denied');
    assert.equal(denied.searchParams.get('state'), 's1');
    assert.ok(authorizeCode(model).searchParams.get('code'));
  });

  void it('issues a code for a chosen user, single-use and living five minutes', () => {
    const { model, clock } = setup();
    const tutor = model.createUser({ email: 'tutor@example.com' });
    model.setConsent({ decision: 'approve', email: 'tutor@example.com', for: 'every' });
    const { access } = connect(model);
    const me = model.getUser(request('GET', '/v2/users/me', { headers: bearer(access) }), 'me', BASE);
    assert.equal(bodyOf(me).id, tutor.id);

    const code = authorizeCode(model).searchParams.get('code') ?? '';
    assert.equal(
      exchange(model, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }).status,
      200,
    );
    const reused = exchange(model, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
    assert.deepEqual(
      [reused.status, reused.body],
      [400, { reason: 'Invalid authorization code', error: 'invalid_grant' }],
    );

    const late = authorizeCode(model).searchParams.get('code') ?? '';
    clock.ms += 300_001;
    assert.equal(
      exchange(model, { grant_type: 'authorization_code', code: late, redirect_uri: REDIRECT }).status,
      400,
    );
  });

  void it('checks PKCE when a challenge was sent', () => {
    const { model } = setup();
    const verifier = 'v'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
    const wrong = authorizeCode(model, pkce).searchParams.get('code') ?? '';
    const bad = exchange(model, {
      grant_type: 'authorization_code',
      code: wrong,
      redirect_uri: REDIRECT,
      code_verifier: 'x'.repeat(50),
    });
    assert.equal(bodyOf(bad).error, 'invalid_grant');
    const right = authorizeCode(model, pkce).searchParams.get('code') ?? '';
    const good = exchange(model, {
      grant_type: 'authorization_code',
      code: right,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    assert.equal(good.status, 200);
  });

  void it('rejects an unregistered redirect_uri and a wrong client', () => {
    const { model } = setup();
    const page = model.authorize(
      request('GET', '/oauth/authorize', {
        query: { response_type: 'code', client_id: 'cid', redirect_uri: `${REDIRECT}/x` },
      }),
      BASE,
    );
    assert.equal(page.status, 400);
    const reply = model.token(
      request('POST', '/oauth/token', {
        headers: { authorization: `Basic ${Buffer.from('cid:nope').toString('base64')}` },
      }),
      BASE,
    );
    assert.deepEqual(reply.body, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    assert.deepEqual(exchange(model, { grant_type: 'password' }).body, {
      reason: 'Bad request',
      error: 'invalid_request',
    });
  });

  void it('rotates refresh tokens strictly and counts refreshes', () => {
    const { model } = setup();
    const { refresh } = connect(model);
    const first = exchange(model, { grant_type: 'refresh_token', refresh_token: refresh });
    assert.equal(first.status, 200);
    assert.notEqual(bodyOf(first).refresh_token, refresh);
    const again = exchange(model, { grant_type: 'refresh_token', refresh_token: refresh });
    assert.deepEqual([again.status, again.body], [400, { reason: 'Invalid Token!', error: 'invalid_grant' }]);
    assert.equal(
      exchange(model, { grant_type: 'refresh_token', refresh_token: String(bodyOf(first).refresh_token) })
        .status,
      200,
    );
    assert.equal(model.stats().refreshes, 2);
  });

  void it('tells an expired access token from an unknown one', () => {
    const { model, clock } = setup({ accessTokenTtlSeconds: 60 });
    const { access } = connect(model);
    clock.ms += 61_000;
    const expired = model.getUser(request('GET', '/v2/users/me', { headers: bearer(access) }), 'me', BASE);
    assert.deepEqual(
      [expired.status, expired.body],
      [401, { code: 124, message: 'Access token is expired.' }],
    );
    const unknown = model.getUser(request('GET', '/v2/users/me', { headers: bearer('nope') }), 'me', BASE);
    assert.deepEqual(unknown.body, { code: 124, message: 'Invalid access token.' });
  });

  void it('prunes expired codes and tokens', () => {
    const { model, clock } = setup({ accessTokenTtlSeconds: 60 });
    for (let i = 0; i < 500; i++) authorizeCode(model);
    for (let i = 0; i < 50; i++) connect(model);
    clock.ms += 301_000;
    model.tokens.prune();
    const stats = model.stats();
    assert.equal(stats.pendingCodes, 0);
    assert.equal(stats.liveAccessTokens, 0);
    assert.equal(stats.liveGrants, 50);
  });

  void it('keeps memory bounded over tens of thousands of calls without an explicit prune', () => {
    const { model, clock } = setup({ accessTokenTtlSeconds: 60 });
    let { refresh } = connect(model);
    for (let i = 1; i <= 20_000; i++) {
      refresh = String(
        bodyOf(exchange(model, { grant_type: 'refresh_token', refresh_token: refresh })).refresh_token,
      );
      authorizeCode(model);
      if (i % 1000 === 0) clock.ms += 400_000;
    }
    const stats = model.stats();
    assert.equal(stats.refreshes, 20_000);
    assert.ok(
      Number(stats.liveAccessTokens) <= 2000,
      `live access tokens: ${String(stats.liveAccessTokens)}`,
    );
    assert.ok(Number(stats.pendingCodes) <= 2000, `pending codes: ${String(stats.pendingCodes)}`);
    assert.equal(stats.liveGrants, 1);
  });
});
