import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/parse-env';
import { freePort } from '../../src/net/free-port';
import { runStack } from '../../src/stack/run-stack';

const root = resolve(__dirname, '../..');

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

test(
  '`npm start` with a bad setting names it, exits 78 and leaves nothing running',
  { timeout: 120_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-config-'));
    chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as its own user when we are root
    const ports: Record<string, number> = {};
    for (const name of [
      'PORT',
      'TEMPORAL_PORT',
      'TEMPORAL_UI_PORT',
      'EMBEDDED_PG_PORT',
      'ZOOM_EMULATOR_PORT',
      'DAILY_EMULATOR_PORT',
      'SENDGRID_EMULATOR_PORT',
    ])
      ports[name] = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_TEST_CONTEXT')),
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      DATA_DIR: dataDir,
      MAX_RECONNECTION_ATTEMPTS: '0',
      LOG_LEVEL: 'verbose',
    };
    for (const name of [
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
      'ZOOM_API_BASE_URL',
      'DAILY_API_BASE_URL',
      'SENDGRID_API_BASE_URL',
      'PUBLIC_BASE_URL',
    ])
      delete env[name];

    // Its own process group, so that whatever it leaves behind can be found and stopped.
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
    try {
      assert.equal(code, 78, stderr);
      assert.match(stderr, /MAX_RECONNECTION_ATTEMPTS: /);
      assert.match(stderr, /LOG_LEVEL: /);
      assert.doesNotMatch(stderr, /^\s+at /m, 'one clear message, not a stack trace');
      for (const [name, port] of Object.entries(ports))
        assert.equal(await portOpen(port), false, `${name} (${port}) is still open after the exit`);
      assert.equal(existsSync(join(dataDir, 'temporal.db')), false, 'nothing was started');
    } finally {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // the group is gone: nothing was left behind
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);

test("the stack's own settings check throws, so that `npm start` can stop what it started", async () => {
  await assert.rejects(
    runStack({ MAX_RECONNECTION_ATTEMPTS: '0' }, () => undefined),
    (error: unknown) => error instanceof ConfigError && /MAX_RECONNECTION_ATTEMPTS/.test(error.message),
  );
});
