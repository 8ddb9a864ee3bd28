import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { beforeEach, test } from 'node:test';
import { Browser, location, platformJwt } from '../support/browser';
import {
  approveAtZoom,
  authorizeZoom,
  confirmGrant,
  connectSessionUrl,
  createConnectSession,
  grantCodeOf,
} from '../support/connect-zoom';
import { RecordingRevocations } from '../support/recording-revocations';
import { PLATFORM_REDIRECT_URL } from '../support/stack';
import { useTestStack } from '../support/use-test-stack';

const revocations = new RecordingRevocations();
const stack = useTestStack({ worker: false, grantRevocations: revocations });
beforeEach(() => revocations.clear());

const tokenRows = () => stack.database.db('oauth_service_tokens').select();
const MINUTE = 60_000;

/** The (ticking) manual clock: a time set during the last few seconds. */
function assertAround(actual: Date | undefined, expectedMs: number): void {
  const delta = (actual?.getTime() ?? 0) - expectedMs;
  assert.ok(
    delta > -5000 && delta <= 5000,
    `${actual?.toISOString()} is about ${new Date(expectedMs).toISOString()}`,
  );
}

/** Where a failing flow sent the browser: the platform's `?zoom=error&reason=`. */
function errorReason(res: Response): string | null {
  const target = new URL(location(res));
  assert.equal(`${target.origin}${target.pathname}`, PLATFORM_REDIRECT_URL);
  assert.equal(target.searchParams.get('zoom'), 'error');
  return target.searchParams.get('reason');
}

test('a tutor connects Zoom: a session, the consent, a pending grant, then the confirmation stores it', async () => {
  const user = stack.zoom.createUser({ email: 'ada@example.com' });
  const startedAt = stack.clock.now().getTime();
  const created = await createConnectSession(stack, 'tutor-ada');
  assert.equal(created.status, 201);
  const { url, expiresAt } = (await created.json()) as { url: string; expiresAt: string };
  assert.ok(url.startsWith(`${stack.env.PUBLIC_BASE_URL}/integrations/zoom/connect-sessions/`));
  const id = url.split('/').at(-1) as string;
  assert.ok(Buffer.from(id, 'base64url').length >= 16, 'at least 128 bits');
  assertAround(new Date(expiresAt), startedAt + 10 * MINUTE);

  const browser = new Browser();
  stack.zoom.setConsent({ decision: 'approve', userId: user.id, for: 'next' });
  const opened = await browser.get(url);
  assert.equal(opened.status, 302);
  const authorize = new URL(location(opened));
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  assert.ok(browser.cookie('zoom_oauth_state'), 'the state is bound to the browser by a cookie');
  const landing = await browser.get(location(await browser.get(authorize.toString())));
  const code = grantCodeOf(landing);
  assert.ok(Buffer.from(code, 'base64url').length >= 16);

  // PKCE: the verifier sent to Zoom hashes to the challenge in the authorize URL.
  const exchange = stack.zoom.requests.find({ method: 'POST', path: '/oauth/token' }).at(-1);
  const verifier = new URLSearchParams(exchange?.body).get('code_verifier') ?? '';
  assert.equal(
    createHash('sha256').update(verifier).digest('base64url'),
    authorize.searchParams.get('code_challenge'),
  );

  // Pending: attached to nobody, encrypted, and its revocation recorded, due at its expiry.
  assert.equal((await tokenRows()).filter((r) => r.user_id === 'tutor-ada').length, 0);
  const [pending] = await stack.database.db('zoom_pending_grants').where({ zoom_user_id: user.id });
  for (const column of ['code', 'access_token', 'refresh_token'])
    assert.match(pending[column], /^v1\./, `${column} is ciphertext`);
  assert.notEqual(pending.code_hash, code, 'only a hash of the code is kept');
  assert.equal(revocations.drops.length, 1);
  const [held] = revocations.drops;
  assert.equal(held?.grant.reason, 'pending_expired');
  assert.equal(held?.grant.zoomUserId, user.id);
  assert.equal(held?.inTransaction, true);
  assertAround(held?.notBefore, stack.clock.now().getTime() + 10 * MINUTE);

  const confirmed = await confirmGrant(stack, code, 'tutor-ada');
  assert.equal(confirmed.status, 200);
  assert.deepEqual(await confirmed.json(), { connected: true, email: 'ada@example.com' });
  assert.deepEqual(revocations.standing(), [], 'the deferred revocation is withdrawn');

  const [row] = await stack.database.db('oauth_service_tokens').where({ user_id: 'tutor-ada' });
  assert.equal(row.uid, user.id);
  assert.equal(row.email, 'ada@example.com');
  assert.equal(row.reconnection_attempts, 0);
  for (const column of ['code', 'access_token', 'refresh_token']) assert.match(row[column], /^v1\./);
  const events = await stack.database
    .db('zoom_connection_events')
    .where({ user_id: 'tutor-ada' })
    .pluck('event');
  assert.deepEqual(events, ['connected']);

  const status = await fetch(`${stack.api.url}/integrations/zoom`, {
    headers: { authorization: `Bearer ${await platformJwt(stack.env.PLATFORM_JWT_SECRET, 'tutor-ada')}` },
  });
  assert.deepEqual(await status.json(), {
    connected: true,
    email: 'ada@example.com',
    reconnectionAttempts: 0,
  });

  assert.equal((await confirmGrant(stack, code, 'tutor-ada')).status, 410, 'a code works once');
});

test('a session URL works once and for 10 minutes; an unknown one is refused', async () => {
  const user = stack.zoom.createUser({ email: 'once@example.com' });
  const url = await connectSessionUrl(stack, 'tutor-once');
  assert.equal((await approveAtZoom(stack, url, user.id)).landing.status, 302);
  assert.equal(errorReason(await fetch(url, { redirect: 'manual' })), 'used_session');

  const late = await connectSessionUrl(stack, 'tutor-once');
  stack.clock.advance(11 * MINUTE);
  try {
    assert.equal(errorReason(await fetch(late, { redirect: 'manual' })), 'expired_session');
  } finally {
    stack.clock.advance(-11 * MINUTE);
  }
  const unknown = `${stack.api.url}/integrations/zoom/connect-sessions/${'A'.repeat(43)}`;
  assert.equal(errorReason(await fetch(unknown, { redirect: 'manual' })), 'unknown_session');
  const noJwt = await fetch(`${stack.api.url}/integrations/zoom/connect-sessions`, { method: 'POST' });
  assert.equal(noJwt.status, 401);
});

test('confirming: an unknown code is 404, a used one 410, an expired one 410 (and it is revoked then)', async () => {
  assert.equal((await confirmGrant(stack, 'no-such-code', 'tutor-x')).status, 404);
  const user = stack.zoom.createUser({ email: 'late@example.com' });
  const { landing } = await approveAtZoom(stack, await connectSessionUrl(stack, 'tutor-late'), user.id);
  const code = grantCodeOf(landing);
  stack.clock.advance(10 * MINUTE);
  try {
    const gone = await confirmGrant(stack, code, 'tutor-late');
    assert.equal(gone.status, 410);
    assert.equal(((await gone.json()) as { error: string }).error, 'grant_expired');
  } finally {
    stack.clock.advance(-10 * MINUTE);
  }
  assert.deepEqual(revocations.standing(), [`pending_expired:${user.id}`], 'left to its deferred revocation');
  assert.equal(await stack.container.services.tokenService.isZoomConnected('tutor-late'), false);
});

test('tampered, replayed and expired states, and access_denied, redirect with the reason and store nothing', async () => {
  const before = (await tokenRows()).length;
  const user = stack.zoom.createUser({ email: 'bob@example.com' });
  stack.zoom.setConsent({ decision: 'approve', userId: user.id, for: 'every' });
  const toZoom = async () => {
    const browser = new Browser();
    const callback = location(
      await browser.get(location(await browser.get(await connectSessionUrl(stack, 'tutor-bob')))),
    );
    return { browser, callback };
  };

  const tampered = await toZoom();
  const url = new URL(tampered.callback);
  url.searchParams.set('state', `${url.searchParams.get('state')}x`);
  assert.equal(errorReason(await tampered.browser.get(url.toString())), 'invalid_state');

  const noCookie = await toZoom();
  assert.equal(errorReason(await new Browser().get(noCookie.callback)), 'missing_state');

  const replay = await toZoom();
  const replayCookie = replay.browser.cookie('zoom_oauth_state') as string;
  grantCodeOf(await replay.browser.get(replay.callback));
  replay.browser.setCookie('zoom_oauth_state', replayCookie);
  assert.equal(errorReason(await replay.browser.get(replay.callback)), 'used_state');

  const late = await toZoom();
  stack.clock.advance(11 * MINUTE);
  const expired = await late.browser.get(late.callback);
  stack.clock.advance(-11 * MINUTE);
  assert.equal(errorReason(expired), 'expired_state');

  stack.zoom.setConsent({ decision: 'deny', for: 'next' });
  const denied = await toZoom();
  assert.match(denied.callback, /error=access_denied/);
  assert.equal(errorReason(await denied.browser.get(denied.callback)), 'access_denied');

  assert.equal((await tokenRows()).length, before, 'no failure stored a token');
});

test('a failing GET /users/me after the exchange: an error redirect, and the unnamed grant is dropped', async () => {
  const user = stack.zoom.createUser({ email: 'noname@example.com' });
  const fault = stack.zoom.faults.add({ route: 'GET /v2/users/me', status: 400 });
  try {
    const { landing } = await approveAtZoom(stack, await connectSessionUrl(stack, 'tutor-noname'), user.id);
    assert.equal(errorReason(landing), 'profile_failed');
  } finally {
    stack.zoom.faults.remove(fault);
  }
  assert.deepEqual(revocations.standing(), ['get_me_failed:null']);
  assert.equal(revocations.drops[0]?.grant.userId, 'tutor-noname');
  assert.equal(await stack.container.services.tokenService.isZoomConnected('tutor-noname'), false);
});

test('GET /integrations/zoom/connect?token= is gone: a 400 that names the new route', async () => {
  const jwt = await platformJwt(stack.env.PLATFORM_JWT_SECRET, 'tutor-old');
  for (const query of [`?token=${jwt}`, '']) {
    const res = await fetch(`${stack.api.url}/integrations/zoom/connect${query}`, { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.match(
      ((await res.json()) as { message: string }).message,
      /POST \/integrations\/zoom\/connect-sessions/,
    );
  }
  assert.equal(
    await stack.database.db('zoom_connect_sessions').where({ user_id: 'tutor-old' }).first(),
    undefined,
  );
});

test('a reconnect to a different Zoom account replaces the row, resets the attempts and drops the old grant', async () => {
  const first = stack.zoom.createUser({ email: 'cy@example.com' });
  await authorizeZoom(stack, 'tutor-cy', first.id);
  await stack.database
    .db('oauth_service_tokens')
    .where({ user_id: 'tutor-cy' })
    .update({ reconnection_attempts: 2 });
  const old = await stack.container.stores.tokens.findByUser('tutor-cy');

  await authorizeZoom(stack, 'tutor-cy', first.id);
  assert.deepEqual(revocations.standing(), [], 'the same Zoom user: overwritten, never revoked');
  const again = await stack.container.stores.tokens.findByUser('tutor-cy');
  assert.equal(again?.reconnectionAttempts, 0);
  assert.notEqual(again?.accessToken, old?.accessToken);
  assert.ok((again?.version ?? 0) > (old?.version ?? 0));

  const second = stack.zoom.createUser({ email: 'cy-work@example.com' });
  await authorizeZoom(stack, 'tutor-cy', second.id);
  assert.deepEqual(revocations.standing(), [`replaced:${first.id}`]);
  const replaced = revocations.drops.find((d) => d.grant.reason === 'replaced');
  assert.equal(replaced?.grant.accessToken, again?.accessToken);
  assert.equal(replaced?.inTransaction, true);
  const rows = await stack.database.db('oauth_service_tokens').where({ user_id: 'tutor-cy' });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].uid, second.id);
  const events = await stack.database
    .db('zoom_connection_events')
    .where({ user_id: 'tutor-cy' })
    .pluck('event');
  assert.deepEqual(events, ['connected', 'reconnected', 'reconnected']);
});

test('a connection clears the one-time nonces that have expired, and keeps the live ones', async () => {
  const nonces = stack.database.db('one_time_nonces');
  const now = stack.clock.now().getTime();
  await nonces.clone().insert([
    { nonce: 'oauth-state:long-gone', purpose: 'oauth-state', expires_at: new Date(now - 86_400_000) },
    { nonce: 'reconnect:still-live', purpose: 'reconnect', expires_at: new Date(now + 86_400_000) },
  ]);
  await authorizeZoom(stack, 'tutor-dee', stack.zoom.createUser({ email: 'dee@example.com' }).id);
  const left = await nonces.clone().whereIn('nonce', ['oauth-state:long-gone', 'reconnect:still-live']);
  assert.deepEqual(
    left.map((row: { nonce: string }) => row.nonce),
    ['reconnect:still-live'],
  );
});

test('no session id or grant code ever reaches a log line', async () => {
  const user = stack.zoom.createUser({ email: 'quiet@example.com' });
  const url = await connectSessionUrl(stack, 'tutor-quiet');
  const { landing } = await approveAtZoom(stack, url, user.id);
  const code = grantCodeOf(landing);
  await fetch(url, { redirect: 'manual' }); // a second opening, refused
  assert.equal((await confirmGrant(stack, code, 'tutor-quiet')).status, 200);
  assert.equal((await confirmGrant(stack, code, 'tutor-quiet')).status, 410);
  const logs = stack.logs.join('\n');
  assert.match(logs, /grants\/:code\/confirm/, 'the confirm requests were logged, by their template');
  for (const secret of [code, url.split('/').at(-1) as string])
    assert.ok(!logs.includes(secret), 'a one-time secret is in the logs');
});

test('a Zoom profile we could not store (a 65-character id, a control character in the email) fails the flow, and the grant is dropped', async () => {
  for (const [tutorId, user] of [
    ['tutor-long-zoom-id', { id: 'z'.repeat(65), email: 'long-id@example.com' }],
    ['tutor-bad-zoom-email', { email: 'bad\u202e@example.com' }],
  ] as const) {
    revocations.clear();
    const created = stack.zoom.createUser(user);
    const { landing } = await approveAtZoom(stack, await connectSessionUrl(stack, tutorId), created.id);
    assert.equal(errorReason(landing), 'profile_failed', tutorId);
    assert.deepEqual(revocations.standing(), ['get_me_failed:null'], tutorId);
    assert.equal(await stack.container.services.tokenService.isZoomConnected(tutorId), false);
  }
});
