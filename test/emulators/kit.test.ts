import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startEmulator, type EmulatorDefinition, type RunningEmulator } from '../../emulators/kit/server';

/** A tiny provider: a counter whose POST applies a change, so 'after' faults can be seen applied. */
function counterDefinition(state = { count: 0 }): EmulatorDefinition & { state: { count: number } } {
  return {
    name: 'Counter',
    state,
    errorBody: (status, message) => ({ code: status, message }),
    identify: (req) => ({ user: req.headers['x-user'] as string | undefined }),
    snapshot: () => ({ ...state }),
    restore: (saved) => Object.assign(state, saved as object),
    routes: [
      { method: 'POST', path: '/count', handler: () => ({ status: 200, body: { count: ++state.count } }) },
      {
        method: 'GET',
        path: '/items/:id',
        handler: ({ params }) => ({ status: 200, body: { id: params.id } }),
      },
    ],
  };
}

const running: RunningEmulator[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'kit-test-'));
after(async () => {
  await Promise.all(running.map((r) => r.close()));
  rmSync(scratch, { recursive: true, force: true });
});
async function start(def = counterDefinition(), options = {}) {
  const emulator = await startEmulator(def, options);
  running.push(emulator);
  return { emulator, def };
}
const post = (e: RunningEmulator, headers: Record<string, string> = {}, timeoutMs = 3000) =>
  fetch(`${e.url}/count`, { method: 'POST', headers, signal: AbortSignal.timeout(timeoutMs) });

test('a status fault answers the provider body; Retry-After in seconds and as an ISO date', async () => {
  const { emulator } = await start();
  emulator.faults.add({ route: 'POST /count', status: 503, firstN: 1 });
  const failed = await post(emulator);
  assert.equal(failed.status, 503);
  assert.deepEqual(await failed.json(), { code: 503, message: 'Injected fault' });
  assert.equal((await post(emulator)).status, 200, 'firstN: only the first call fails');
  emulator.faults.add({ route: 'POST /count', retryAfter: { seconds: 7 }, firstN: 1 });
  const limited = await post(emulator);
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '7');
  emulator.faults.add({ route: 'POST /count', retryAfter: { isoDateInSeconds: 60 }, firstN: 1 });
  const iso = (await post(emulator)).headers.get('retry-after') as string;
  assert.match(iso, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.ok(Math.abs(Date.parse(iso) - (emulator.clock.nowMs() + 60_000)) < 2000);
});

test('hang and reset, before and after applying the call', async () => {
  const { emulator, def } = await start();
  emulator.faults.add({ route: 'POST /count', hang: 'before', firstN: 1 });
  await assert.rejects(post(emulator, {}, 300));
  assert.equal(def.state.count, 0, 'a hang before did not apply the call');
  emulator.faults.add({ route: 'POST /count', hang: 'after', firstN: 1 });
  await assert.rejects(post(emulator, {}, 300));
  assert.equal(def.state.count, 1, 'a hang after applied it and lost the answer');
  emulator.faults.add({ route: 'POST /count', reset: 'before', firstN: 1 });
  await assert.rejects(post(emulator));
  assert.equal(def.state.count, 1);
  emulator.faults.add({ route: 'POST /count', reset: 'after', firstN: 1 });
  await assert.rejects(post(emulator));
  assert.equal(def.state.count, 2);
});

test('latency, matching by user and route parameters, seeded fractions', async () => {
  const { emulator } = await start(counterDefinition(), { seed: 7 });
  emulator.faults.add({ route: 'GET /items/:id', latencyMs: { min: 150, max: 200 }, firstN: 1 });
  const started = performance.now();
  assert.equal((await fetch(`${emulator.url}/items/9`)).status, 200);
  assert.ok(performance.now() - started >= 140);
  emulator.faults.add({ route: '* /count', user: 'u1', status: 500 });
  assert.equal((await post(emulator, { 'x-user': 'u2' })).status, 200);
  assert.equal((await post(emulator, { 'x-user': 'u1' })).status, 500);
  emulator.faults.clear();
  emulator.faults.add({ route: 'POST /count', status: 500, fraction: 0.5 });
  const statuses = await Promise.all(Array.from({ length: 40 }, () => post(emulator).then((r) => r.status)));
  const failures = statuses.filter((s) => s === 500).length;
  assert.ok(failures > 8 && failures < 32, `${failures} of 40 failed`);
});

test('the request log is capped, counters never drop, and the control API moves the clock', async () => {
  const { emulator } = await start(counterDefinition(), { requestLogSize: 5 });
  for (let i = 0; i < 12; i++) await post(emulator);
  assert.equal(emulator.requests.all().length, 5);
  assert.equal(emulator.requests.stats().total, 12);
  assert.equal(emulator.requests.stats().byRoute['POST /count'], 12);
  const before = emulator.clock.nowMs();
  const moved = await fetch(`${emulator.url}/_emulator/clock`, {
    method: 'POST',
    body: JSON.stringify({ advanceMs: 3_600_000 }),
  });
  assert.equal(moved.status, 200);
  assert.ok(emulator.clock.nowMs() - before >= 3_600_000);
  const added = await fetch(`${emulator.url}/_emulator/faults`, {
    method: 'POST',
    body: JSON.stringify({ route: 'POST /count', status: 502 }),
  });
  const { id } = (await added.json()) as { id: string };
  assert.equal((await post(emulator)).status, 502);
  assert.equal((await fetch(`${emulator.url}/_emulator/faults/${id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await post(emulator)).status, 200);
});

test('state survives a restart through the state file', async () => {
  const stateFile = join(scratch, 'state.json');
  const first = await start(counterDefinition(), { stateFile });
  await post(first.emulator);
  await post(first.emulator);
  await first.emulator.close();
  const second = await start(counterDefinition(), { stateFile });
  assert.equal(second.def.state.count, 2);
});
