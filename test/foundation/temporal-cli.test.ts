import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cacheDir, resolveTemporalCli } from '../../scripts/lib/temporal-cli';

const scratch = mkdtempSync(join(tmpdir(), 'temporal-cli-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function fakeBinary(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'temporal');
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, 0o755);
  return path;
}

const quiet = (): void => undefined;

test('TEMPORAL_CLI_PATH wins, and a wrong one fails with a clear message', async () => {
  const path = fakeBinary(join(scratch, 'explicit'));
  assert.deepEqual(await resolveTemporalCli({ TEMPORAL_CLI_PATH: path, PATH: '' }, quiet), {
    path,
    source: 'TEMPORAL_CLI_PATH',
  });
  await assert.rejects(
    resolveTemporalCli({ TEMPORAL_CLI_PATH: join(scratch, 'missing'), PATH: '' }, quiet),
    /TEMPORAL_CLI_PATH=.* is not an executable file/,
  );
});

test('then `temporal` on PATH, then the cached build in the user cache folder', async () => {
  const onPath = fakeBinary(join(scratch, 'bin'));
  assert.deepEqual(
    await resolveTemporalCli({ PATH: join(scratch, 'bin'), XDG_CACHE_HOME: join(scratch, 'c1') }, quiet),
    {
      path: onPath,
      source: 'PATH',
    },
  );
  const env = { PATH: '', XDG_CACHE_HOME: join(scratch, 'c2') };
  assert.match(cacheDir(env), /c2\/tutor-meetings\/temporal-cli-1\.5\.1$/);
  const cached = fakeBinary(cacheDir(env));
  assert.deepEqual(await resolveTemporalCli(env, quiet), { path: cached, source: 'cache' });
});
