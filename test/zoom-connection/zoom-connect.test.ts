import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Browser, errorOf, location, platformJwt } from '../support/browser';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
before(async () => (stack = await startTestStack({ worker: false })));
after(async () => stack?.close());

const tokenRows = () => stack.database.db('oauth_service_tokens').select();

/** Walks the flow up to Zoom's redirect back; returns the callback URL and the browser. */
async function consent(
  userId: string,
): Promise<{ browser: Browser; callback: string; authorizeUrl: string }> {
  const browser = new Browser();
  const token = await platformJwt(stack.env.PLATFORM_JWT_SECRET, userId);
  const start = await browser.get(`${stack.api.url}/integrations/zoom/connect?token=${token}`);
  assert.equal(start.status, 302);
  const authorizeUrl = location(start);
  const zoomAnswer = await browser.get(authorizeUrl);
  assert.equal(zoomAnswer.status, 302);
  return { browser, callback: location(zoomAnswer), authorizeUrl };
}

test('a tutor connects Zoom through the browser flow; the tokens are stored encrypted with every seed column', async () => {
  const user = stack.zoom.createUser({ email: 'ada@example.com' });
  stack.zoom.setConsent({ decision: 'approve', userId: user.id, for: 'every' });
  const { browser, callback, authorizeUrl } = await consent('tutor-ada');

  const authorize = new URL(authorizeUrl);
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  const cookie = browser.cookie('zoom_oauth_state');
  assert.ok(cookie, 'the state is bound to the browser by a cookie');

  const done = await browser.get(callback);
  assert.equal(done.status, 200, await done.clone().text());
  assert.deepEqual(await done.json(), { connected: true, email: 'ada@example.com' });

  // PKCE: the verifier sent to Zoom hashes to the challenge in the authorize URL.
  const exchange = stack.zoom.requests.find({ method: 'POST', path: '/oauth/token' }).at(-1);
  const verifier = new URLSearchParams(exchange?.body).get('code_verifier') ?? '';
  assert.equal(
    createHash('sha256').update(verifier).digest('base64url'),
    authorize.searchParams.get('code_challenge'),
  );

  const [row] = await tokenRows();
  assert.equal(row.uid, user.id);
  assert.equal(row.user_id, 'tutor-ada');
  assert.equal(row.email, 'ada@example.com');
  assert.equal(row.reconnection_attempts, 0);
  assert.ok(row.expires_in > 0);
  for (const column of ['code', 'access_token', 'refresh_token'])
    assert.match(row[column], /^v1\./, `${column} is ciphertext`);

  const status = await fetch(`${stack.api.url}/integrations/zoom`, {
    headers: { authorization: `Bearer ${await platformJwt(stack.env.PLATFORM_JWT_SECRET, 'tutor-ada')}` },
  });
  assert.deepEqual(await status.json(), {
    connected: true,
    email: 'ada@example.com',
    reconnectionAttempts: 0,
  });
});

test('tampered, replayed and expired states, and access_denied, are refused and store nothing', async () => {
  const before = (await tokenRows()).length;
  const user = stack.zoom.createUser({ email: 'bob@example.com' });
  stack.zoom.setConsent({ decision: 'approve', userId: user.id, for: 'every' });

  const tampered = await consent('tutor-bob');
  const url = new URL(tampered.callback);
  url.searchParams.set('state', `${url.searchParams.get('state')}x`);
  const refused = await tampered.browser.get(url.toString());
  assert.equal(refused.status, 400);
  assert.equal(await errorOf(refused), 'invalid_state');

  const noCookie = await consent('tutor-bob');
  const fresh = new Browser();
  assert.equal(await errorOf(await fresh.get(noCookie.callback)), 'missing_state');

  const replay = await consent('tutor-bob');
  const replayCookie = replay.browser.cookie('zoom_oauth_state') as string;
  assert.equal((await replay.browser.get(replay.callback)).status, 200);
  await stack.database.db('oauth_service_tokens').where({ user_id: 'tutor-bob' }).delete();
  replay.browser.setCookie('zoom_oauth_state', replayCookie);
  const replayed = await replay.browser.get(replay.callback);
  assert.equal(await errorOf(replayed), 'used_state');

  const late = await consent('tutor-bob');
  stack.clock.advance(11 * 60_000);
  const expired = await late.browser.get(late.callback);
  stack.clock.advance(-11 * 60_000);
  assert.equal(await errorOf(expired), 'expired_state');

  stack.zoom.setConsent({ decision: 'deny', for: 'next' });
  const denied = await consent('tutor-bob');
  assert.match(denied.callback, /error=access_denied/);
  const deniedAnswer = await denied.browser.get(denied.callback);
  assert.equal(deniedAnswer.status, 400);
  assert.equal(await errorOf(deniedAnswer), 'access_denied');

  assert.equal((await tokenRows()).length, before, 'no failure stored a token');
});

test('a reconnect replaces the row and resets the attempts', async () => {
  const user = stack.zoom.createUser({ email: 'cy@example.com' });
  stack.zoom.setConsent({ decision: 'approve', userId: user.id, for: 'every' });
  const first = await consent('tutor-cy');
  await first.browser.get(first.callback);
  await stack.database
    .db('oauth_service_tokens')
    .where({ user_id: 'tutor-cy' })
    .update({ reconnection_attempts: 2 });
  const old = await stack.database.db('oauth_service_tokens').where({ user_id: 'tutor-cy' }).first();
  const { tokens } = stack.container.services.tokenService;
  const oldTokens = await tokens.findByUser('tutor-cy');

  const again = await consent('tutor-cy');
  assert.equal((await again.browser.get(again.callback)).status, 200);
  const rows = await stack.database.db('oauth_service_tokens').where({ user_id: 'tutor-cy' });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].reconnection_attempts, 0);
  // The tokens themselves (decrypted: ciphertexts differ anyway, each with its own IV).
  const newTokens = await tokens.findByUser('tutor-cy');
  assert.ok(oldTokens && newTokens);
  assert.notEqual(newTokens.accessToken, oldTokens.accessToken);
  assert.notEqual(newTokens.refreshToken, oldTokens.refreshToken);
  assert.ok(rows[0].version > old.version);
});

test('bad input to the connect route is a clear 4xx', async () => {
  const none = await fetch(`${stack.api.url}/integrations/zoom/connect`, { redirect: 'manual' });
  assert.equal(none.status, 400);
  assert.match(((await none.json()) as { message: string }).message, /exactly one of token/);
  const bad = await fetch(`${stack.api.url}/integrations/zoom/connect?token=nope`, { redirect: 'manual' });
  assert.equal(bad.status, 401);
  const noJwt = await fetch(`${stack.api.url}/integrations/zoom`);
  assert.equal(noJwt.status, 401);
});

test('a connection clears the one-time nonces that have expired, and keeps the live ones', async () => {
  const nonces = stack.database.db('one_time_nonces');
  const now = stack.clock.now().getTime();
  await nonces.clone().insert([
    { nonce: 'oauth-state:long-gone', purpose: 'oauth-state', expires_at: new Date(now - 86_400_000) },
    { nonce: 'reconnect:still-live', purpose: 'reconnect', expires_at: new Date(now + 86_400_000) },
  ]);
  const user = stack.zoom.createUser({ email: 'dee@example.com' });
  stack.zoom.setConsent({ decision: 'approve', userId: user.id, for: 'next' });
  const { browser, callback } = await consent('tutor-dee');
  assert.equal((await browser.get(callback)).status, 200);

  const left = await nonces.clone().whereIn('nonce', ['oauth-state:long-gone', 'reconnect:still-live']);
  assert.deepEqual(
    left.map((row: { nonce: string }) => row.nonce),
    ['reconnect:still-live'],
  );
});
