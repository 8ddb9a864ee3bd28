import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ZoomEmulator } from '../../emulators/zoom/emulator';
import { api, basicAuth, connect, startTestZoom, tokenRequest, WEBHOOK_SECRET } from './zoom-http-support';

/** POST /oauth/revoke as Zoom treats it: the user removed our app, so every grant goes and we are told. */

interface Received {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}
const received: Received[] = [];
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(204).end();
  });
});

let zoom: ZoomEmulator;

const revoke = (token: string) =>
  fetch(`${zoom.oauthBaseUrl}/oauth/revoke`, {
    method: 'POST',
    headers: { authorization: basicAuth(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  });

const alive = async (access: string): Promise<boolean> =>
  (await api(zoom, access, 'GET', '/users/me')).status === 200;

async function waitForDelivery(count: number): Promise<void> {
  for (let i = 0; i < 100 && received.length < count; i++) await new Promise((r) => setTimeout(r, 20));
}

void describe('Zoom emulator: revoke removes the app for that Zoom user', () => {
  before(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;
    zoom = await startTestZoom({ webhookUrl: `http://127.0.0.1:${port}/webhooks/zoom` });
  });
  after(async () => {
    await zoom.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  void it('revokes every grant of that user, leaves other users alone, and posts a signed app_deauthorized', async () => {
    const user = zoom.createUser({ email: 'held-twice@example.com' });
    const other = zoom.createUser({ email: 'someone-else@example.com' });
    const first = await connect(zoom, user.id);
    const second = await connect(zoom, user.id); // the same Zoom account, connected for another tutor
    const stranger = await connect(zoom, other.id);
    const before = received.length;

    const res = await revoke(first.access_token);
    assert.deepEqual([res.status, await res.json()], [200, { status: 'success' }]);

    assert.equal(await alive(first.access_token), false);
    assert.equal(await alive(second.access_token), false, 'the other grant of that user went too');
    const refresh = await tokenRequest(zoom, {
      grant_type: 'refresh_token',
      refresh_token: second.refresh_token,
    });
    assert.equal(refresh.status, 400);
    assert.equal(await alive(stranger.access_token), true, "another user's grant lives");

    await waitForDelivery(before + 1);
    const delivery = received[before];
    assert.ok(delivery, 'app_deauthorized was posted to the webhook URL');
    const body = JSON.parse(delivery.raw) as { event: string; payload: Record<string, unknown> };
    assert.equal(body.event, 'app_deauthorized');
    assert.equal(body.payload.user_id, user.id);
    const timestamp = String(delivery.headers['x-zm-request-timestamp']);
    const signature = `v0=${createHmac('sha256', WEBHOOK_SECRET).update(`v0:${timestamp}:${delivery.raw}`).digest('hex')}`;
    assert.equal(delivery.headers['x-zm-signature'], signature);
  });

  void it('a revoke with an expired access token or a dead token changes nothing and tells nobody', async () => {
    const user = zoom.createUser({ email: 'expired@example.com' });
    const grant = await connect(zoom, user.id);
    zoom.clock.advance(3600_000);
    try {
      const before = received.length;
      assert.equal((await revoke(grant.access_token)).status, 200);
      assert.equal((await revoke('not-a-token')).status, 200);
      const refreshed = await tokenRequest(zoom, {
        grant_type: 'refresh_token',
        refresh_token: grant.refresh_token,
      });
      assert.equal(refreshed.status, 200, 'the grant is still alive');
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(received.length, before, 'no app_deauthorized');
    } finally {
      zoom.clock.reset();
    }
  });
});
