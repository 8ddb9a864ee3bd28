import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { startApi, type RunningApi } from '../../src/api/server';
import type { ServiceEnv } from '../../src/config/service-env';
import { createDb, type Db } from '../../src/db/knex';
import { freePort } from '../../src/net/free-port';
import { createMetricsRegistry } from '../../src/observability/metrics';
import { signWebhook } from '../../src/providers/zoom/webhook-signature';
import { platformJwt } from '../support/browser';
import { specOf, validateResponse } from '../support/openapi-validator';
import { useTestStack } from '../support/use-test-stack';

const running: RunningApi[] = [];
const pools: Db[] = [];
const stack = useTestStack({
  worker: false,
  closing: async () => {
    await Promise.all(running.map((api) => api.close()));
    await Promise.all(pools.map((db) => db.destroy()));
  },
});
// Every test counts from zero (all its requests come from 127.0.0.1).
beforeEach(async () => void (await stack.database.db('rate_limits').del()));

/**
 * Another API instance beside the stack's, with these settings and a pool of its own (as another
 * process would have), on the same database.
 */
async function apiWith(settings: Partial<ServiceEnv>, databaseUrl = stack.database.url): Promise<string> {
  const db = createDb(databaseUrl, 2);
  pools.push(db);
  const env = { ...stack.env, ...settings };
  const api = await startApi(
    { ...stack.container, env, db, metrics: createMetricsRegistry() },
    0,
    '127.0.0.1',
  );
  running.push(api);
  return api.url;
}

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { redirect: 'manual', headers });

async function statuses(requests: Array<() => Promise<Response>>): Promise<number[]> {
  const result: number[] = [];
  for (const request of requests) result.push((await request()).status);
  return result;
}

test('the connect flow: counted per client across two API instances; 429 with Retry-After and a JSON error', async () => {
  const settings = { RATE_LIMIT_CONNECT_PER_MINUTE: 3 };
  const [a, b] = [await apiWith(settings), await apiWith(settings)];
  const callback = '/integrations/zoom/callback?code=x&state=y';
  const allowed = await statuses([a, b, a].map((api) => () => get(`${api}${callback}`)));
  assert.ok(
    allowed.every((s) => s !== 429 && s < 500),
    allowed.join(),
  );

  const refused = await get(`${b}${callback}`);
  assert.equal(refused.status, 429, 'the 4th request overall, though B saw only 2');
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
  assert.equal(refused.headers.get('cache-control'), 'no-store');
  const body = (await refused.json()) as { error: string; message: string };
  assert.equal(body.error, 'rate_limited');
  assert.match(body.message, /try again in \d+ seconds/);
  const spec = specOf(await (await fetch(`${a}/openapi.json`)).json());
  assert.deepEqual(validateResponse(spec, 'GET', '/integrations/zoom/callback', 429, body), []);

  // The whole prefix, by path: the connect route, a path no route serves, another case.
  for (const path of [
    '/integrations/zoom/connect?reconnect=x',
    '/integrations/zoom/later-route',
    '/INTEGRATIONS/zoom/callback',
  ])
    assert.equal((await get(`${a}${path}`)).status, 429, path);

  // Routes that take a platform JWT, and routes elsewhere, are not limited.
  const jwt = await platformJwt(stack.env.PLATFORM_JWT_SECRET, 'tutor-limits');
  assert.equal((await get(`${a}/integrations/zoom`, { authorization: `Bearer ${jwt}` })).status, 200);
  assert.equal((await get(`${a}/integrations/zoom`)).status, 401, 'a JWT route answers for itself');
  assert.equal((await get(`${a}/healthz`)).status, 200);
});

test('TRUSTED_PROXY_HOPS=0: X-Forwarded-For changes nothing; =1: its last entry is the client, whatever the client put before it', async () => {
  const limit = { RATE_LIMIT_CONNECT_PER_MINUTE: 2 };
  const direct = await apiWith({ ...limit, TRUSTED_PROXY_HOPS: 0 });
  const spoofs = ['203.0.113.1', '203.0.113.2', '203.0.113.3'];
  const seen = await statuses(
    spoofs.map((xff) => () => get(`${direct}/integrations/zoom/callback`, { 'x-forwarded-for': xff })),
  );
  assert.deepEqual(
    seen.map((s) => s === 429),
    [false, false, true],
    'one client: the socket',
  );

  await stack.database.db('rate_limits').del();
  const proxied = await apiWith({ ...limit, TRUSTED_PROXY_HOPS: 1 });
  const via = (xff: string) => () => get(`${proxied}/integrations/zoom/callback`, { 'x-forwarded-for': xff });
  const clientA = await statuses([
    via('1.1.1.1, 198.51.100.10'),
    via('2.2.2.2, 198.51.100.10'),
    via('198.51.100.10'),
  ]);
  assert.deepEqual(
    clientA.map((s) => s === 429),
    [false, false, true],
    'the same client behind the proxy',
  );
  const clientB = await statuses([via('198.51.100.11'), via('198.51.100.11')]);
  assert.deepEqual(
    clientB.map((s) => s === 429),
    [false, false],
    'another client has its own count',
  );
  const malformed = await statuses([via('not-an-address'), via('still, bad'), via('')]);
  assert.deepEqual(
    malformed.map((s) => s === 429),
    [false, false, true],
    'malformed: counted as the socket address',
  );
});

test('join links: limited per link (a forged link does not use up the real one) and per client', async () => {
  const api = await apiWith({
    TRUSTED_PROXY_HOPS: 1,
    RATE_LIMIT_JOIN_PER_LINK_PER_MINUTE: 2,
    RATE_LIMIT_JOIN_PER_CLIENT_PER_MINUTE: 4,
  });
  const link = (sig: string, as = 'tutor') =>
    `${api}/meetings/lesson-1/join?as=${as}&exp=9999999999&sig=${sig}`;
  const from = (client: string, url: string) => () => get(url, { 'x-forwarded-for': client });
  const one = await statuses([
    from('192.0.2.1', link('aaa')),
    from('192.0.2.2', link('aaa')),
    from('192.0.2.3', link('aaa')),
  ]);
  assert.deepEqual(one, [403, 403, 429], 'the third click on one link, from three clients');
  assert.equal(
    (await from('192.0.2.4', link('aaa', 'student'))()).status,
    403,
    'the other role is another link',
  );
  assert.equal((await from('192.0.2.4', link('bbb'))()).status, 403, 'another signature is another link');

  const client = await statuses(['c1', 'c2', 'c3', 'c4', 'c5'].map((sig) => from('192.0.2.9', link(sig))));
  assert.deepEqual(client, [403, 403, 403, 403, 429], 'the fifth link from one client');
});

test('webhooks: only deliveries refused for their signature count; a verified one is never limited', async () => {
  const api = await apiWith({ RATE_LIMIT_WEBHOOK_FAILURES_PER_MINUTE: 2 });
  const body = JSON.stringify({ event: 'meeting.started', payload: {} });
  const signed = () => {
    const timestamp = String(Math.floor(stack.clock.now().getTime() / 1000));
    return {
      'content-type': 'application/json',
      'x-zm-request-timestamp': timestamp,
      'x-zm-signature': signWebhook(stack.env.ZOOM_WEBHOOK_SECRET_TOKEN, timestamp, body),
    };
  };
  const zoom = (headers: Record<string, string>) => () =>
    fetch(`${api}/webhooks/zoom`, { method: 'POST', headers, body });
  const verified = await statuses(Array.from({ length: 10 }, () => zoom(signed())));
  assert.deepEqual(new Set(verified), new Set([200]));
  assert.equal(
    await stack.database
      .db('rate_limits')
      .count('* as c')
      .first()
      .then((r) => Number(r?.c)),
    0,
    'no counter touched',
  );

  const refused = await statuses([
    zoom({ 'content-type': 'application/json' }),
    zoom({ ...signed(), 'x-zm-signature': 'v0=00' }),
    zoom({ 'content-type': 'application/json' }),
  ]);
  assert.deepEqual(refused, [401, 401, 429]);
  const sendgrid = await fetch(`${api}/webhooks/sendgrid`, { method: 'POST', body: '[]' });
  assert.equal(sendgrid.status, 429, 'one count for both webhooks');
  assert.ok(Number(sendgrid.headers.get('retry-after')) >= 1);

  const stillVerified = await statuses(Array.from({ length: 5 }, () => zoom(signed())));
  assert.deepEqual(
    new Set(stillVerified),
    new Set([200]),
    'verified deliveries pass while the client is limited',
  );
});

test('PostgreSQL out of reach: the limiter lets requests through, promptly, and never answers 5xx', async () => {
  const api = await apiWith(
    { RATE_LIMIT_CONNECT_PER_MINUTE: 1, RATE_LIMIT_STORE_TIMEOUT_MS: 200 },
    `postgres://postgres@127.0.0.1:${await freePort()}/closed`,
  );
  const started = performance.now();
  const seen = await statuses(
    Array.from({ length: 5 }, () => () => get(`${api}/integrations/zoom/callback`)),
  );
  assert.ok(
    seen.every((s) => s !== 429 && s < 500),
    seen.join(),
  );
  assert.ok(performance.now() - started < 5 * 1000, 'each within the store timeout, not the pool’s');
  assert.ok(
    stack.logs.some((line) => line.includes('requests are let through unlimited')),
    'the operator is told',
  );
});

test('RATE_LIMIT_ENABLED=false switches the limits off (benchmarks only)', async () => {
  const api = await apiWith({ RATE_LIMIT_ENABLED: false, RATE_LIMIT_CONNECT_PER_MINUTE: 1 });
  const seen = await statuses(
    Array.from({ length: 3 }, () => () => get(`${api}/integrations/zoom/callback`)),
  );
  assert.ok(!seen.includes(429), seen.join());
});
