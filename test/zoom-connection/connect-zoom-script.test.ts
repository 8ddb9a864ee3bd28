import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { approveAtZoom, grantCodeOf } from '../support/connect-zoom';
import { useTestStack } from '../support/use-test-stack';

const root = resolve(__dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'connect-zoom-script-'));
const stack = useTestStack({
  worker: false,
  // The data folder npm start keeps its secrets in; the script reads the platform JWT secret there.
  started: ({ env }) =>
    writeFileSync(
      join(dataDir, 'secrets.json'),
      JSON.stringify({ PLATFORM_JWT_SECRET: env.PLATFORM_JWT_SECRET }),
    ),
  closing: () => rmSync(dataDir, { recursive: true, force: true }),
});

const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/connect-zoom.ts', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PUBLIC_BASE_URL: stack.api.url },
  });

test("README's walk-through: npm run connect-zoom makes the session, and confirms the grant", async () => {
  const zoomUser = stack.zoom.createUser({ email: 'script@zoom.example.com' });
  const made = await run('tutor-script');
  const url = /https?:\/\/\S+\/connect-sessions\/\S+/.exec(made.stdout)?.[0];
  assert.ok(url, made.stdout);
  const { landing } = await approveAtZoom(stack, url, zoomUser.id);
  const confirmed = await run('tutor-script', '--confirm', grantCodeOf(landing));
  assert.deepEqual(JSON.parse(confirmed.stdout), { connected: true, email: 'script@zoom.example.com' });
  assert.equal(await stack.container.services.tokenService.isZoomConnected('tutor-script'), true);
});
