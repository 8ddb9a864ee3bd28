import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface Started {
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The environment for a service started as a child process: this one's, less the test runner's
 * NODE_TEST_CONTEXT (with it the child would speak the runner's protocol on stdout), plus `settings`.
 */
export function childProcessEnv(settings: Record<string, string> = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => name !== 'NODE_TEST_CONTEXT'),
  );
  return { ...inherited, ...settings };
}

/**
 * Starts a service entry point, a `.ts` file under tsx or a compiled `.js` file under plain Node,
 * and resolves with the first stdout line matching `ready`.
 */
export function startServiceProcess(
  entry: string,
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 30_000,
  nodeFlags: string[] = [],
): Promise<Started & { match: RegExpMatchArray }> {
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeFlags, ...loader, entry], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = (): Promise<void> => stopChild(child);
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${entry} did not start in ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = output.match(ready);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve({ child, stop, match });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}: ${output}`));
    });
  });
}

export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

const WORKER_ENTRY = resolve(__dirname, '../../src/worker.ts');

/**
 * `npm run worker` (or a compiled `entry`) as a child process (benchmarks, drills) with the
 * service's settings, logging at info: its start is read from the "worker running" line.
 * BENCH_WORKER_NODE_FLAGS adds Node flags, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where
 * the worker's CPU goes.
 */
export function startWorkerChild(serviceEnv: Record<string, string>, entry = WORKER_ENTRY): Promise<Started> {
  return startServiceProcess(
    entry,
    childProcessEnv({ ...serviceEnv, LOG_LEVEL: 'info' }),
    /worker running/,
    120_000,
    process.env.BENCH_WORKER_NODE_FLAGS?.split(' ').filter(Boolean),
  );
}
