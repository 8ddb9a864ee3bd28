import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { childProcessEnv, startServiceProcess, type Started } from '../../scripts/lib/child-process';
import { freePort } from '../../src/net/free-port';
import { waitFor } from '../lessons/lesson-helpers';
import { useTestStack } from '../support/use-test-stack';

// `npm run worker` and `npm run api` themselves, with METRICS_PORT set: the wiring of the entry
// points, not only the metrics server, is what a Prometheus scrape depends on.
const children: Started[] = [];
const stack = useTestStack({
  worker: false,
  closing: () => Promise.all(children.map((child) => child.stop())),
});

async function start(entry: string, ready: RegExp, env: Record<string, string>): Promise<void> {
  const child = await startServiceProcess(
    resolve(__dirname, '../..', entry),
    childProcessEnv({ ...stack.rawEnv, LOG_LEVEL: 'info', ...env }),
    ready,
    90_000,
  );
  child.child.stdout?.resume();
  child.child.stderr?.resume();
  children.push(child);
}

test('the worker and the api processes each serve /metrics on METRICS_PORT', async () => {
  const [workerMetrics, apiMetrics, apiPort] = await Promise.all([freePort(), freePort(), freePort()]);
  await Promise.all([
    start('src/worker.ts', /worker running/, { METRICS_PORT: String(workerMetrics) }),
    start('src/api/server.ts', /API listening/, { METRICS_PORT: String(apiMetrics), PORT: String(apiPort) }),
  ]);
  assert.equal((await fetch(`http://127.0.0.1:${apiPort}/healthz`)).status, 200);

  const scrape = async (port: number): Promise<string> =>
    (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const worker = await waitFor('the SDK metrics of the worker', async () => {
    const text = await scrape(workerMetrics);
    return /^temporal_/m.test(text) && text;
  });
  assert.match(worker, /^nodejs_heap_size_used_bytes /m);
  assert.match(worker, new RegExp(`task_queue="${stack.env.TEMPORAL_TASK_QUEUE}"`));

  const api = await scrape(apiMetrics);
  assert.match(api, /^http_requests_total\{method="GET",route="\/healthz",status="200"\} 1$/m);
  assert.doesNotMatch(api, /^temporal_/m, 'the api runs no SDK runtime');
});
