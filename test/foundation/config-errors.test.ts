import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { ConfigError, parseEnv } from '../../src/config/parse-env';
import { serviceEnv } from '../../src/config/service-env';

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
  assert.doesNotMatch(result.stderr, /TOKEN_ENCRYPTION_KEY/);
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
