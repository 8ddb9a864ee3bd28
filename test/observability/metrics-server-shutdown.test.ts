import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { test } from 'node:test';
import type { Registry } from 'prom-client';
import { startMetricsServer } from '../../src/observability/metrics-server';
import { getWithAgent } from '../support/raw-request';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A registry whose collection takes `ms` (or never ends), like a slow SDK exporter behind it. */
const slowRegistry = (ms: number): Registry =>
  ({
    contentType: 'text/plain; version=0.0.4',
    metrics: () => (Number.isFinite(ms) ? sleep(ms).then(() => 'up 1\n') : new Promise(() => undefined)),
  }) as unknown as Registry;

test('on close, a scrape in progress is answered, and its kept-alive connection does not hold close open', async () => {
  const metrics = await startMetricsServer({ port: 0, host: '127.0.0.1', registry: slowRegistry(600) });
  const agent = new Agent({ keepAlive: true });
  const scrape = getWithAgent(metrics.url, agent);
  await sleep(150);
  const started = Date.now();
  await metrics.close();
  const answer = await scrape;
  assert.equal(answer.status, 200);
  assert.equal(answer.connection, 'close', 'the scraper is told not to reuse the connection');
  assert.ok(Date.now() - started >= 300, 'close waited for the scrape');
  assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
  await assert.rejects(fetch(metrics.url), 'new connections are refused');
  agent.destroy();
});

test('a scrape that never ends is cut at the shutdown grace', async () => {
  const metrics = await startMetricsServer({
    port: 0,
    host: '127.0.0.1',
    registry: slowRegistry(Infinity),
    shutdownGraceMs: 300,
  });
  const stuck = fetch(metrics.url).catch(() => 'cut');
  await sleep(100);
  const started = Date.now();
  await metrics.close();
  assert.ok(Date.now() - started < 2000, `close took ${Date.now() - started} ms`);
  assert.equal(await stuck, 'cut');
});
