import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../../src/api/app';
import { createPlatformAuth } from '../../src/api/auth';
import { createZoomConnectArea, type ZoomConnectDeps } from '../../src/api/routes/zoom-connect';
import { systemClock } from '../../src/clock';
import { createLogger } from '../../src/logger';

const jwtSecret = 's'.repeat(32);

/** The session and callback routes with a stand-in flow: only the cookie handling is under test. */
async function serve(secureCookies: boolean): Promise<{ base: string; close(): void }> {
  const connectFlow = {
    start: async () => ({ redirectUrl: 'https://zoom.example/oauth', cookie: 'state-1', maxAgeSeconds: 600 }),
    complete: async () => ({ ok: true, grantCode: 'grant-1', userId: 'tutor-1', email: null }),
  } as unknown as ZoomConnectDeps['connectFlow'];
  const connectSessions = {
    open: async () => ({ ok: true, session: { id: '1', userId: 'tutor-1' } }),
  } as unknown as ZoomConnectDeps['connectSessions'];
  const area = createZoomConnectArea({
    connectFlow,
    connectSessions,
    nonces: {} as ZoomConnectDeps['nonces'],
    users: {} as ZoomConnectDeps['users'],
    clock: systemClock,
    platformAuth: createPlatformAuth({
      secret: jwtSecret,
      maxAgeSeconds: 300,
      toleranceSeconds: 30,
      clock: systemClock,
    }),
    linkSigningSecret: 'l'.repeat(32),
    platformRedirectUrl: 'https://platform.example/zoom',
    secureCookies,
  });
  const server = createApp({ logger: createLogger({ level: 'silent' }), areas: [area] }).listen(
    0,
    '127.0.0.1',
  );
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  return { base: `http://127.0.0.1:${port}/integrations/zoom`, close: () => server.close() };
}

test('with an https PUBLIC_BASE_URL, connect over plain http (TLS ended by a proxy) sets a Secure cookie', async () => {
  const api = await serve(true);
  try {
    const url = `${api.base}/connect-sessions/session-1`;
    // No X-Forwarded-Proto, and a spoofed "http" one: neither decides the cookie's scheme.
    for (const headers of [{}, { 'x-forwarded-proto': 'http' }] as Array<Record<string, string>>) {
      const res = await fetch(url, { redirect: 'manual', headers });
      assert.equal(res.status, 302, await res.text());
      assert.equal(res.headers.get('location'), 'https://zoom.example/oauth');
      assert.match(res.headers.get('set-cookie') ?? '', /state-1.*; secure/i);
    }
    const back = await fetch(`${api.base}/callback?code=c&state=s`, { redirect: 'manual' });
    assert.equal(back.status, 302);
    assert.match(back.headers.get('set-cookie') ?? '', /; secure/i, 'the cookie is cleared as it was set');
  } finally {
    api.close();
  }
});

test('with an http PUBLIC_BASE_URL (local development) the cookie is not Secure', async () => {
  const api = await serve(false);
  try {
    const res = await fetch(`${api.base}/connect-sessions/session-1`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.doesNotMatch(res.headers.get('set-cookie') ?? '', /secure/i);
  } finally {
    api.close();
  }
});
