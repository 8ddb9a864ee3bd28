import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { startPlatformEventsEmulator } from '../../emulators/platform/emulator';

const secret = `whsec_${randomBytes(32).toString('base64')}`;

test("npm start's receiver verifies each event and lists it with its headers and body", async () => {
  const emulator = await startPlatformEventsEmulator({ secret });
  try {
    const body = JSON.stringify({ type: 'zoom.connected', timestamp: new Date().toISOString(), data: {} });
    const signed = (signature: string) => ({
      'content-type': 'application/json',
      'webhook-id': 'evt_1',
      'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
      'webhook-signature': signature,
    });
    const good = new Webhook(secret).sign('evt_1', new Date(Math.floor(Date.now() / 1000) * 1000), body);
    const post = (headers: Record<string, string>) =>
      fetch(emulator.eventsUrl, { method: 'POST', headers, body });
    assert.equal((await post(signed(good))).status, 204);
    assert.equal((await post(signed('v1,AAAA'))).status, 400, 'a bad signature is refused');
    assert.deepEqual(
      emulator.received().map((e) => [e.webhookId, e.verified]),
      [
        ['evt_1', true],
        ['evt_1', false],
      ],
    );
    const page = await (await fetch(emulator.eventsUrl)).text();
    for (const part of ['zoom.connected', 'webhook-signature: v1,', 'signature verified', 'refused: '])
      assert.ok(page.includes(part), part);
  } finally {
    await emulator.close();
  }
});
