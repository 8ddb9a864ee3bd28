import { join, resolve } from 'node:path';
import { takeOverShutdownSignals } from './lib/postgres';
import { setting } from './lib/stack-settings';
import { startCluster, type RunningCluster } from './lib/cluster/start-cluster';

/**
 * `npm run cluster`: the production topology on one machine (docs/deployment.md). Temporal's four
 * services and its UI, the migrate one-shot, two workers, two APIs and the emulators, each a
 * process of its own, every port free and chosen here. Ctrl-C or SIGTERM stops all of it.
 */
const root = resolve(__dirname, '..');
const dataDir = resolve(setting(process.env, 'DATA_DIR') ?? join(root, '.data', 'cluster'));
const note = (line: string): void => void process.stderr.write(`${line}\n`);
let cluster: RunningCluster | undefined;
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await cluster?.stop().catch((e: unknown) => note(`while stopping: ${String(e)}`));
  }
  process.exit(code);
}

async function main(): Promise<void> {
  await takeOverShutdownSignals();
  cluster = await startCluster({
    dataDir,
    temporalPostgresUrl: setting(process.env, 'TEMPORAL_POSTGRES_URL'),
    log: note,
  });
  if (stopping) return void (await cluster.stop());
  process.stdout.write(`${cluster.lines.join('\n')}\n`);
  note(`Logs: ${join(dataDir, 'logs')}. Ready. Press Ctrl-C to stop everything.`);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch(async (error: unknown) => {
  note(error instanceof Error ? (error.stack ?? error.message) : String(error));
  await stopAll(1);
});
