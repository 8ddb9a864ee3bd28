import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../../src/api/app';
import { createZoomWebhookArea } from '../../src/api/routes/zoom-webhooks';
import { systemClock } from '../../src/clock';
import { createLogger } from '../../src/logger';
import { signWebhook } from '../../src/providers/zoom/webhook-signature';

const secretToken = 'zoom-webhook-secret-token';
const verificationToken = 'legacy-verification-token';

/**
 * The answer to Zoom's URL-validation challenge is HMAC(secret token, plainToken), the same key and
 * MAC as x-zm-signature over `v0:<timestamp>:<body>`. Answered for whoever sends the legacy token,
 * it would sign any body: signatures for a year ahead, still valid once the legacy token is removed.
 */
test('the URL-validation challenge is answered only over a valid signature, never for the legacy token', async () => {
  const deauthorizations: unknown[] = [];
  const area = createZoomWebhookArea({
    secretToken,
    verificationToken,
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    startDeauthorization: async (event) => void deauthorizations.push(event),
  });
  const server = createApp({ logger: createLogger({ level: 'silent' }), areas: [area] }).listen(
    0,
    '127.0.0.1',
  );
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`http://127.0.0.1:${port}/webhooks/zoom`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...headers },
    });
  try {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const forged = JSON.stringify({ event: 'app_deauthorized', payload: { user_id: 'victim-zoom-user' } });
    const challenge = JSON.stringify({
      event: 'endpoint.url_validation',
      payload: { plainToken: `v0:${timestamp}:${forged}` },
    });

    const legacy = await post(challenge, { authorization: verificationToken });
    const answer = (await legacy.json()) as { encryptedToken?: string };
    assert.notEqual(
      answer.encryptedToken && `v0=${answer.encryptedToken}`,
      signWebhook(secretToken, timestamp, forged),
      'the legacy token must not buy a signature over a body of its choice',
    );
    assert.equal(legacy.status, 401);

    // Zoom signs its challenges: those are answered as before.
    const signed = await post(challenge, {
      'x-zm-signature': signWebhook(secretToken, timestamp, challenge),
      'x-zm-request-timestamp': timestamp,
    });
    assert.equal(signed.status, 200);
    // The legacy token still works for the events it always carried.
    const event = JSON.stringify({ event: 'meeting.started', payload: {} });
    assert.equal((await post(event, { authorization: verificationToken })).status, 200);
    assert.deepEqual(deauthorizations, []);
  } finally {
    server.close();
  }
});
