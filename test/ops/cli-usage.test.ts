import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';

const CLI = resolve(__dirname, '../../src/ops/cli.ts');

/** The CLI with no settings at all: a usage error must not need them. */
function ops(...args: string[]) {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { env, encoding: 'utf8' });
}

test('a mistyped command or a history without its user id gets the usage (exit 64), before any setting is read', () => {
  const runs = [['swep'], ['history'], ['forget-person', '--cancel-open']].map((args) => {
    const run = ops(...args);
    assert.equal(run.status, 64, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, /Usage: npm run ops -- <command>/);
    assert.doesNotMatch(run.stderr, /DATABASE_URL|required|invalid/i, 'no settings error');
    return run;
  });
  assert.match(runs[1]?.stderr ?? '', /history needs a user id/);
  assert.match(runs[2]?.stderr ?? '', /forget-person needs a user id/);
  const help = ops('help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /history <userId>/);
  assert.match(help.stdout, /forget-person <userId> \[--cancel-open\]/);
  assert.match(help.stdout, /revocations +dropped Zoom grants still waiting/);
});
