import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { parseEnv } from '../../src/config/parse-env';
import { apiEnv, serviceEnv } from '../../src/config/service-env';
import { requiredServiceSettings } from '../support/service-settings';

const root = resolve(__dirname, '../..');

/** Every setting `npm run api` needs, valid, except PLATFORM_REDIRECT_URL. */
const settings = requiredServiceSettings();

test('`npm run api` without PLATFORM_REDIRECT_URL exits 78 naming it', () => {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/api/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...settings },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(result.status, 78, result.stderr);
  assert.match(result.stderr, /PLATFORM_REDIRECT_URL: is required/);
});

test("the API's settings accept it when set; npm start's (the embedded stack) go without it", () => {
  const url = 'https://platform.example.com/settings/zoom';
  assert.equal(parseEnv(apiEnv, { ...settings, PLATFORM_REDIRECT_URL: url }).PLATFORM_REDIRECT_URL, url);
  assert.equal(parseEnv(serviceEnv, settings).PLATFORM_REDIRECT_URL, undefined);
});
