import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';

const CLI = resolve(__dirname, '../../src/ops/cli.ts');

/** The CLI with no settings at all: a usage error must not need them. */
function ops(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  return new Promise((resolveRun) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', CLI, ...args],
      { env },
      (_error, stdout, stderr) => resolveRun({ status: child.exitCode, stdout, stderr }),
    );
  });
}

test('a mistyped command or a command without its user id gets the usage (exit 64), before any setting is read', async () => {
  // Side by side: each run is a process that loads the CLI, seconds of CPU apiece.
  const [mistyped, history, forget, help] = await Promise.all([
    ops('swep'),
    ops('history'),
    ops('forget-person', '--cancel-open'),
    ops('help'),
  ]);
  for (const [args, run] of [
    ['swep', mistyped],
    ['history', history],
    ['forget-person --cancel-open', forget],
  ] as const) {
    assert.equal(run.status, 64, `${args}: ${run.stderr}`);
    assert.match(run.stderr, /Usage: npm run ops -- <command>/);
    assert.doesNotMatch(run.stderr, /DATABASE_URL|required|invalid/i, 'no settings error');
  }
  assert.match(history.stderr, /history needs a user id/);
  assert.match(forget.stderr, /forget-person needs a user id/);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /history <userId>/);
  assert.match(help.stdout, /forget-person <userId> \[--cancel-open\]/);
  assert.match(help.stdout, /revocations +dropped Zoom grants still waiting/);
});
