import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ZoomWebhookSender } from '../../emulators/zoom/webhook-sender';

/** The webhook sender, checked by a tiny receiver that verifies signatures on its own. */

const SECRET = 'webhook-secret-token';
const received: Array<{ headers: IncomingHttpHeaders; raw: string }> = [];
let answerWrongly = false;

const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    received.push({ headers: req.headers, raw });
    const body = JSON.parse(raw) as { event: string; payload: { plainToken?: string } };
    if (body.event !== 'endpoint.url_validation') return void res.writeHead(204).end();
    const plainToken = body.payload.plainToken ?? '';
    const encryptedToken = createHmac('sha256', answerWrongly ? 'other' : SECRET)
      .update(plainToken)
      .digest('hex');
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ plainToken, encryptedToken }));
  });
});
let url = '';

/** What a receiver computes: the expected signature over the raw bytes it got. */
const expectedSignature = (headers: IncomingHttpHeaders, raw: string): string =>
  `v0=${createHmac('sha256', SECRET)
    .update(`v0:${String(headers['x-zm-request-timestamp'])}:${raw}`)
    .digest('hex')}`;

void describe('Zoom webhook sender', () => {
  before(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/zoom`;
  });
  after(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  void it('signs app_deauthorized over the raw body, with a fresh timestamp and a tracking id', async () => {
    const sender = new ZoomWebhookSender({ secretToken: SECRET, verificationToken: 'legacy-token' });
    const delivery = await sender.sendAppDeauthorized(url, {
      accountId: 'acc',
      userId: 'u1',
      clientId: 'cid',
    });
    assert.equal(delivery.status, 204);
    const got = received.at(-1);
    assert.ok(got);
    assert.equal(got.headers['x-zm-signature'], expectedSignature(got.headers, got.raw));
    assert.ok(Math.abs(Number(got.headers['x-zm-request-timestamp']) - Date.now() / 1000) < 5);
    assert.ok(got.headers['x-zm-trackingid']);
    assert.equal(got.headers.authorization, 'legacy-token');
    const body = JSON.parse(got.raw) as { event: string; event_ts: number; payload: Record<string, unknown> };
    assert.equal(body.event, 'app_deauthorized');
    assert.equal(typeof body.event_ts, 'number');
    assert.deepEqual(Object.keys(body.payload).sort(), [
      'account_id',
      'client_id',
      'deauthorization_time',
      'signature',
      'user_data_retention',
      'user_id',
    ]);
    assert.equal(body.payload.user_data_retention, 'false');
    assert.equal(body.payload.user_id, 'u1');
  });

  void it('can send a bad signature, no signature, or a stale timestamp', async () => {
    const sender = new ZoomWebhookSender({ secretToken: SECRET });
    const event = sender.event('meeting.started', {});
    await sender.deliver(url, event, { signature: 'bad' });
    const bad = received.at(-1);
    assert.ok(bad);
    assert.notEqual(bad.headers['x-zm-signature'], expectedSignature(bad.headers, bad.raw));
    assert.equal(bad.headers.authorization, undefined);

    await sender.deliver(url, event, { signature: 'none' });
    assert.equal(received.at(-1)?.headers['x-zm-signature'], undefined);

    await sender.deliver(url, event, { timestampSkewSeconds: -600 });
    const stale = received.at(-1);
    assert.ok(stale);
    assert.equal(
      stale.headers['x-zm-signature'],
      expectedSignature(stale.headers, stale.raw),
      'validly signed',
    );
    assert.ok(Date.now() / 1000 - Number(stale.headers['x-zm-request-timestamp']) > 590);
  });

  void it('round-trips the URL validation challenge and notices a wrong answer', async () => {
    const sender = new ZoomWebhookSender({ secretToken: SECRET });
    const good = await sender.validateUrl(url, { plainToken: 'plain-123' });
    assert.equal(good.ok, true);
    assert.deepEqual(good.received, {
      plainToken: 'plain-123',
      encryptedToken: createHmac('sha256', SECRET).update('plain-123').digest('hex'),
    });
    const challenge = received.at(-1);
    assert.ok(challenge);
    assert.equal(challenge.headers['x-zm-signature'], expectedSignature(challenge.headers, challenge.raw));
    answerWrongly = true;
    assert.equal((await sender.validateUrl(url)).ok, false);
    answerWrongly = false;
  });

  void it('records a delivery that could not connect instead of throwing', async () => {
    const sender = new ZoomWebhookSender({ secretToken: SECRET, timeoutMs: 500 });
    const delivery = await sender.deliver('http://127.0.0.1:1/nowhere', sender.event('x', {}));
    assert.equal(delivery.status, undefined);
    assert.ok(delivery.error);
  });
});
