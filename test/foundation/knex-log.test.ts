import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { createDb } from '../../src/db/knex';
import { createLogger } from '../../src/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
before(async () => (database = await createTestDatabase()));
after(() => database.close());

test('a connection PostgreSQL dropped while idle is replaced, and knex says so in our logs, not on stderr', async () => {
  const lines: Array<{ level: number; component?: string; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const db = createDb(database.url, 1, createLogger({ level: 'info' }, sink));
  try {
    const { rows } = await db.raw<{ rows: Array<{ pid: number }> }>('SELECT pg_backend_pid() AS pid');
    const pid = rows[0]?.pid;
    assert.ok(pid);
    await database.db.raw('SELECT pg_terminate_backend(?)', [pid]);
    await new Promise((resolve) => setTimeout(resolve, 200)); // the driver notices the close
    const again = await db.raw<{ rows: Array<{ pid: number }> }>('SELECT pg_backend_pid() AS pid');
    assert.notEqual(again.rows[0]?.pid, pid);
    const warning = lines.find((l) => l.component === 'knex');
    assert.ok(warning, 'knex warned through our logger');
    assert.equal(warning.level, 40);
    assert.match(warning.msg, /Connection Error/);
  } finally {
    await db.destroy();
  }
});
