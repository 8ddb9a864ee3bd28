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

interface LoadResult {
  average: number;
  non2xx: number;
  errors: number;
}

/**
 * Figure 5: verified webhook deliveries per second into one API process (logging at warn), against
 * a bare Koa route of the same process in the same run (bench/lib/api-beside-bare-route.ts), from
 * autocannon in another process: 1,000 distinct deliveries signed when each load starts, sent in
 * turn, each verified in full by the API (bench/lib/webhook-load.ts says why not each signed in
 * turn). The two are loaded in turn, bare, API, API, bare, so that a drift during the run weighs
 * on both alike. Rate limits stay on: a verified delivery never reaches them.
 */
export async function webhookFigure(stack: TestStack, seconds: number): Promise<Figure[]> {
  const [port, barePort] = [await freePort(), await freePort()];
  const env = childProcessEnv({
    ...stack.rawEnv,
    PORT: String(port),
    BARE_PORT: String(barePort),
    LOG_LEVEL: 'warn',
  });
  const api = tsx('bench/lib/api-beside-bare-route.ts', [], env);
  try {
    await Promise.all([waitForPort(port, '127.0.0.1', 60_000), waitForPort(barePort, '127.0.0.1', 60_000)]);
    const each = String(Math.max(2, Math.round(seconds / 2)));
    const load = async (target: number): Promise<LoadResult> => {
      const url = `http://127.0.0.1:${target}/webhooks/zoom`;
      const generator = tsx(
        'bench/lib/webhook-load.ts',
        [url, stack.env.ZOOM_WEBHOOK_SECRET_TOKEN, each],
        env,
      );
      let output = '';
      generator.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((r) => generator.once('exit', r));
      if (code !== 0) throw new Error(`the load generator failed (${code}): ${output}`);
      return JSON.parse(output) as LoadResult;
    };
    const runs: Array<[LoadResult, 'bare' | 'api']> = [];
    for (const which of ['bare', 'api', 'api', 'bare'] as const)
      runs.push([await load(which === 'api' ? port : barePort), which]);
    return [webhookRatioFigure(runs)];
  } finally {
    await stopChild(api);
  }
}

/** The figure from the runs: mean rates of each side, the bare route as the reference, goal ≥ 0.5. */
export function webhookRatioFigure(runs: Array<[LoadResult, 'bare' | 'api']>): Figure {
  const side = (which: 'bare' | 'api') => runs.filter(([, w]) => w === which).map(([r]) => r);
  const mean = (results: LoadResult[]) => results.reduce((sum, r) => sum + r.average, 0) / results.length;
  const [api, bare] = [side('api'), side('bare')];
  const value = mean(api);
  const reference = mean(bare);
  const failed = (results: LoadResult[]) =>
    `non-2xx ${results.reduce((n, r) => n + r.non2xx, 0)}, errors ${results.reduce((n, r) => n + r.errors, 0)}`;
  return {
    group: 'webhooks',
    name: 'verified requests per second',
    value,
    unit: 'req/s',
    reference: { name: 'bare Koa route, same process', value: reference },
    goal: { description: '≥ 0.5 of the bare route', met: reference > 0 && value / reference >= 0.5 },
    notes: `one API process with a bare Koa route beside it, autocannon in another, 50 connections, 1,000 deliveries signed at each start, loaded bare, API, API, bare; API: ${failed(api)}; bare: ${failed(bare)}`,
  };
}
