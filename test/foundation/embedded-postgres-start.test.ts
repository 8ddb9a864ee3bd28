import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startEmbeddedPostgres } from '../../scripts/lib/postgres';

test(
  "an embedded PostgreSQL that can't start says why (PostgreSQL's own words), not `undefined`",
  { timeout: 120_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'embedded-pg-busy-'));
    chmodSync(dir, 0o755); // embedded PostgreSQL runs as its own user when we are root
    // Another program (another checkout's `npm start`) holds EMBEDDED_PG_PORT.
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
    const port = (holder.address() as { port: number }).port;
    try {
      await assert.rejects(startEmbeddedPostgres(join(dir, 'postgres'), port), (error: unknown) => {
        assert.ok(error instanceof Error, `rejected with ${String(error)}`);
        assert.match(error.message, new RegExp(`port ${port}`));
        assert.match(error.message, /already in use/i);
        return true;
      });
    } finally {
      holder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
