import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { test } from 'node:test';
import { startApi } from '../../src/api/server';
import { createDrainingServer } from '../../src/net/draining-server';
import { systemClock } from '../../src/clock';
import type { Container } from '../../src/container';
import { testPayloadEncryption } from '../support/payload-key';
import { createLogger } from '../../src/logger';
import { getWithAgent as get } from '../support/raw-request';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Just enough of a container for the API to start: every service is an inert stand-in. */
function stubContainer(readyCheckMs: number): Container {
  const inert: unknown = new Proxy(() => inert, { get: () => inert });
  return {
    env: {
      PORT: 0,
      PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
      PLATFORM_JWT_SECRET: 'x'.repeat(32),
      LINK_SIGNING_SECRET: 'y'.repeat(32),
      BOOKING_API_TOKEN: 'z'.repeat(24),
      ZOOM_WEBHOOK_SECRET_TOKEN: 'abcdefgh',
      TEMPORAL_TASK_QUEUE: 'q',
      SHUTDOWN_GRACE_SECONDS: 10,
      API_REQUEST_TIMEOUT_MS: 30_000,
      API_HEADERS_TIMEOUT_MS: 10_000,
      API_MAX_CONNECTIONS: 100,
      RATE_LIMIT_ENABLED: false,
      ...testPayloadEncryption, // the codec server's
    },
    services: inert,
    stores: inert,
    emailSender: inert,
    clock: systemClock,
    logger: createLogger({ level: 'silent' }),
    temporal: { client: inert, connection: { workflowService: { describeNamespace: async () => ({}) } } },
    db: { raw: () => sleep(readyCheckMs) },
  } as unknown as Container;
}

test('on close, a request in progress is answered (200) before close resolves', async () => {
  const api = await startApi(stubContainer(800), 0, '127.0.0.1');
  const agent = new Agent({ keepAlive: true });
  const inFlight = get(`${api.url}/readyz`, agent);
  await sleep(200);
  const started = Date.now();
  await api.close();
  assert.ok(Date.now() - started >= 500, 'close waited for the readiness check (800 ms) to finish');
  const answer = await inFlight;
  assert.equal(answer.status, 200);
  assert.equal(answer.connection, 'close', 'the client is told not to reuse the connection');
  assert.ok(Date.now() - started < 3000, 'the kept-alive connection did not hold close for its timeout');
  agent.destroy();
});

test('on close, idle kept-alive connections are closed at once and new connections refused', async () => {
  const api = await startApi(stubContainer(0), 0, '127.0.0.1');
  const agent = new Agent({ keepAlive: true });
  assert.equal((await get(`${api.url}/healthz`, agent)).status, 200);
  const started = Date.now();
  await api.close();
  assert.ok(Date.now() - started < 1000, `close took ${Date.now() - started} ms`);
  await assert.rejects(fetch(`${api.url}/healthz`));
  agent.destroy();
});

test('at the deadline, a request still running is cut and counted', async () => {
  const draining = createDrainingServer(() => new Promise(() => undefined));
  await new Promise<void>((resolve) => draining.server.listen(0, '127.0.0.1', resolve));
  const { port } = draining.server.address() as { port: number };
  const stuck = fetch(`http://127.0.0.1:${port}/`).catch(() => 'cut');
  await sleep(100);
  const started = Date.now();
  assert.equal(await draining.close(300), 1);
  assert.ok(Date.now() - started >= 250);
  assert.equal(await stuck, 'cut');
});
