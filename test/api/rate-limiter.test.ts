import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { createLimiter, RATE_LIMIT_TABLE, storeFailureLog } from '../../src/api/rate-limit/limiter';
import { createDb, type Db } from '../../src/db/knex';
import { createLogger } from '../../src/logger';
import { freePort } from '../../src/net/free-port';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
const pools: Db[] = [];
before(async () => (database = await createTestDatabase()));
after(async () => {
  await Promise.all(pools.map((db) => db.destroy()));
  await database?.close();
});

const noFailure = (error: unknown) => assert.fail(`the store failed: ${String(error)}`);
const pool = (url: string): Db => {
  const db = createDb(url, 2);
  pools.push(db);
  return db;
};

function recordingLogger() {
  const lines: Array<{ msg: string; requestsLetThrough?: number }> = [];
  const logger = createLogger(
    { level: 'warn' },
    new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }),
  );
  return { logger, lines };
}

test('a limit allows its points a minute, then refuses with the seconds until the minute ends', async () => {
  const limiter = createLimiter(
    { db: database.db, timeoutMs: 2000, onStoreFailure: noFailure },
    { name: 'unit-basic', perMinute: 3 },
  );
  const verdicts = [];
  for (let i = 0; i < 5; i++) verdicts.push(await limiter.consume('203.0.113.7'));
  assert.deepEqual(
    verdicts.map((v) => v.allowed),
    [true, true, true, false, false],
  );
  const refused = verdicts[3];
  assert.ok(refused && !refused.allowed);
  assert.ok(
    refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 60,
    String(refused.retryAfterSeconds),
  );
  assert.equal((await limiter.consume('198.51.100.1')).allowed, true, 'another client has its own count');
  const rows = await database.db(RATE_LIMIT_TABLE).where('key', 'like', 'unit-basic:%').orderBy('key');
  assert.deepEqual(
    rows.map((r: { key: string; points: number }) => [r.key, r.points]),
    [
      ['unit-basic:198.51.100.1', 1],
      ['unit-basic:203.0.113.7', 4],
    ],
    'counted in PostgreSQL; the 5th request was refused from memory, without a query',
  );
});

test('two API processes (two pools) share the counters through PostgreSQL', async () => {
  const store = (db: Db) => ({ db, timeoutMs: 2000, onStoreFailure: noFailure });
  const first = createLimiter(store(pool(database.url)), { name: 'unit-shared', perMinute: 4 });
  const second = createLimiter(store(pool(database.url)), { name: 'unit-shared', perMinute: 4 });
  const verdicts = [];
  for (const limiter of [first, second, first, second, second])
    verdicts.push(await limiter.consume('client'));
  assert.deepEqual(
    verdicts.map((v) => v.allowed),
    [true, true, true, true, false],
    'the fifth request overall is refused, though each process saw fewer than 4',
  );
  assert.equal((await first.consume('client')).allowed, false);
});

test('a long key (a long link) is counted by its digest, within the column’s 255 characters', async () => {
  const limiter = createLimiter(
    { db: database.db, timeoutMs: 2000, onStoreFailure: noFailure },
    { name: 'unit-long', perMinute: 1 },
  );
  const key = 'x'.repeat(5000);
  assert.equal((await limiter.consume(key)).allowed, true);
  assert.equal((await limiter.consume(key)).allowed, false);
  assert.equal((await limiter.consume(`${key}y`)).allowed, true);
});

test('PostgreSQL unreachable (a closed port): requests go through at once, and one warning is logged', async () => {
  const { logger, lines } = recordingLogger();
  const closed = pool(`postgres://postgres@127.0.0.1:${await freePort()}/nowhere`);
  const limiter = createLimiter(
    { db: closed, timeoutMs: 200, onStoreFailure: storeFailureLog(logger) },
    { name: 'unit-down', perMinute: 1 },
  );
  const started = performance.now();
  for (let i = 0; i < 3; i++) assert.equal((await limiter.consume('client')).allowed, true);
  assert.ok(performance.now() - started < 3 * 200 + 500, 'each within the store timeout');
  assert.equal(lines.length, 1, JSON.stringify(lines));
  assert.match(lines[0]?.msg ?? '', /let through/);
});

test('PostgreSQL hanging (accepts, never answers): each request waits only the store timeout', async () => {
  const sockets = new Set<Socket>();
  const silent: Server = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as { port: number }).port;
  const failures: unknown[] = [];
  try {
    const limiter = createLimiter(
      {
        db: pool(`postgres://postgres@127.0.0.1:${port}/hang`),
        timeoutMs: 200,
        onStoreFailure: (e) => failures.push(e),
      },
      { name: 'unit-hang', perMinute: 1 },
    );
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      assert.equal((await limiter.consume('client')).allowed, true);
      const waited = performance.now() - started;
      assert.ok(waited >= 150 && waited < 1000, `waited ${waited} ms`);
    }
    assert.equal(failures.length, 2);
  } finally {
    for (const socket of sockets) socket.destroy();
    silent.close();
  }
});

test('the store-failure warning comes at most once a minute, and says how many requests went unlimited', () => {
  const { logger, lines } = recordingLogger();
  let now = 0;
  const fail = storeFailureLog(logger, () => now);
  fail(new Error('down'));
  now = 30_000;
  fail(new Error('down'));
  fail(new Error('down'));
  assert.equal(lines.length, 1);
  now = 60_001;
  fail(new Error('down'));
  assert.equal(lines.length, 2);
  assert.equal(lines[1]?.requestsLetThrough, 3);
});
