import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { checkCodecSettings } from '../../src/api/codec/env';
import { ConfigError, parseEnv } from '../../src/config/parse-env';
import { serviceEnv } from '../../src/config/service-env';
import { createTestDatabase } from '../support/database';
import { requiredServiceSettings } from '../support/service-settings';

const root = resolve(__dirname, '../..');

test('`npm run migrate` needs only DATABASE_URL, and names it when it is missing', () => {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/db/migrate-cli.ts'], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  assert.equal(result.status, 78);
  assert.match(result.stderr, /DATABASE_URL: is required/);
  assert.doesNotMatch(result.stderr, /TOKEN_ENCRYPTION_KEY|PAYLOAD_ENCRYPTION_KEY/);
});

/** An entry point (`src/ops/cli.ts`, …) run with these settings only. */
function run(entry: string, env: Record<string, string>, ...args: string[]) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', entry, ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env } },
      (_error, stdout, stderr) => done({ status: child.exitCode, stdout, stderr }),
    );
  });
}
const ops = (env: Record<string, string>, ...args: string[]) => run('src/ops/cli.ts', env, ...args);

test('the ops commands that only touch the database run without the payload key (and without Temporal); the others ask for it', async () => {
  const database = await createTestDatabase(1);
  try {
    const { PAYLOAD_ENCRYPTION_KEY: _withheld, ...settings } = requiredServiceSettings();
    // Nothing listens there: a command that connected to Temporal would fail.
    const env = { ...settings, DATABASE_URL: database.url, TEMPORAL_ADDRESS: '127.0.0.1:9' };
    // Side by side: each run is a process that loads the CLI, seconds of CPU apiece.
    const [reencrypt, events, pause, redeliver] = await Promise.all([
      ops(env, 'reencrypt'),
      ops(env, 'events'),
      ops(env, 'pause'),
      ops(env, 'events', 'redeliver', 'evt_1'),
    ]);
    assert.equal(reencrypt.status, 0, reencrypt.stderr);
    assert.match(reencrypt.stdout, /Re-encrypted 0 token row\(s\)/);
    assert.equal(events.status, 0, events.stderr);
    assert.match(events.stdout, /Every platform event has been delivered/);
    for (const run of [pause, redeliver]) {
      assert.equal(run.status, 78, run.stderr);
      assert.match(run.stderr, /PAYLOAD_ENCRYPTION_KEY: is required/);
    }
  } finally {
    await database.close();
  }
});

test('`npm run api` refuses CODEC_OPEN_ON_LOOPBACK with APP_ENV=production (a local proxy would open the codec server to all)', async () => {
  const result = await run('src/api/server.ts', {
    ...requiredServiceSettings(),
    PLATFORM_REDIRECT_URL: 'https://platform.example.com/settings/zoom',
    TEMPORAL_ADDRESS: '127.0.0.1:9',
    APP_ENV: 'production',
    CODEC_OPEN_ON_LOOPBACK: 'true',
  });
  assert.equal(result.status, 78, result.stderr);
  assert.match(
    result.stderr,
    /CODEC_OPEN_ON_LOOPBACK: is for local stacks only, refused with APP_ENV=production/,
  );
});

test('CODEC_OPEN_ON_LOOPBACK stays allowed outside production (npm start, npm run cluster)', () => {
  assert.doesNotThrow(() => checkCodecSettings({ APP_ENV: 'development', CODEC_OPEN_ON_LOOPBACK: true }));
  assert.doesNotThrow(() => checkCodecSettings({ APP_ENV: 'production', CODEC_OPEN_ON_LOOPBACK: false }));
});

test('the service names every missing secret at once', () => {
  assert.throws(
    () =>
      parseEnv(serviceEnv, {
        DATABASE_URL: 'postgres://x@127.0.0.1/db',
        TOKEN_ENCRYPTION_KEY: 'dG9vIHNob3J0',
      }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      for (const name of [
        'TOKEN_ENCRYPTION_KEY: must be 32 bytes in base64',
        'PAYLOAD_ENCRYPTION_KEY: is required',
        'PLATFORM_JWT_SECRET: is required',
        'BOOKING_API_TOKEN: is required',
        'LINK_SIGNING_SECRET: is required',
      ]) {
        assert.ok(error.message.includes(name), `${name} in ${error.message}`);
      }
      return true;
    },
  );
});

test("PUBLIC_BASE_URL written with a trailing slash still gives links the API routes (no '//' path)", () => {
  const env = parseEnv(serviceEnv, {
    DATABASE_URL: 'postgres://x@127.0.0.1/db',
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
    PAYLOAD_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64'),
    PLATFORM_JWT_SECRET: 'p'.repeat(32),
    BOOKING_API_TOKEN: 'b'.repeat(24),
    LINK_SIGNING_SECRET: 'l'.repeat(32),
    ZOOM_CLIENT_ID: 'client',
    ZOOM_CLIENT_SECRET: 'zoom-secret',
    ZOOM_REDIRECT_URI: 'https://meetings.example.com/integrations/zoom/callback',
    ZOOM_WEBHOOK_SECRET_TOKEN: 'webhook-secret',
    DAILY_API_KEY: 'daily-key',
    SENDGRID_API_KEY: 'SG.sendgrid-key',
    MAIL_FROM: 'lessons@example.com',
    PUBLIC_BASE_URL: 'https://meetings.example.com/',
  });
  // Reconnect links are `${PUBLIC_BASE_URL}/integrations/zoom/connect?reconnect=…`; Koa answers
  // 404 for //integrations/zoom/connect, so a tutor's ReconnectZoom button would lead nowhere.
  assert.equal(
    new URL(`${env.PUBLIC_BASE_URL}/integrations/zoom/connect`).pathname,
    '/integrations/zoom/connect',
  );
});
