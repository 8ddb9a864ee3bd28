import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { childProcessEnv, stopChild } from '../scripts/lib/child-process';
import { freePort, waitForPort } from '../src/net/free-port';
import type { TestStack } from '../test/support/stack';
import type { Figure } from './lib/report';

const root = resolve(__dirname, '..');
const tsx = (file: string, args: string[], env: NodeJS.ProcessEnv) =>
  spawn(process.execPath, ['--import', 'tsx', resolve(root, file), ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });

/**
 * Figure 5: signed webhook deliveries per second into one API process (`npm run api`, logging at
 * warn), from autocannon in another process: 1,000 distinct deliveries signed when the load starts,
 * sent in turn, each verified in full by the API (bench/lib/webhook-load.ts says why not each signed
 * in turn; its `each` mode does that).
 */
export async function webhookFigure(stack: TestStack, seconds: number): Promise<Figure[]> {
  const port = await freePort();
  const env = childProcessEnv({ ...stack.rawEnv, PORT: String(port), LOG_LEVEL: 'warn' });
  const api = tsx('src/api/server.ts', [], env);
  try {
    await waitForPort(port, '127.0.0.1', 60_000);
    const load = tsx(
      'bench/lib/webhook-load.ts',
      [`http://127.0.0.1:${port}/webhooks/zoom`, stack.env.ZOOM_WEBHOOK_SECRET_TOKEN, String(seconds)],
      env,
    );
    let output = '';
    load.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((r) => load.once('exit', r));
    if (code !== 0) throw new Error(`the load generator failed (${code}): ${output}`);
    const result = JSON.parse(output) as { average: number; non2xx: number; errors: number };
    return [
      {
        group: 'webhooks',
        name: 'verified requests per second',
        value: result.average,
        unit: 'req/s',
        goal: { description: '≥ 5,000 req/s', met: result.average >= 5000 },
        notes: `one API process, autocannon in another, 50 connections, 1,000 deliveries signed at the start; non-2xx: ${result.non2xx}, errors: ${result.errors}`,
      },
    ];
  } finally {
    await stopChild(api);
  }
}
