import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startTemporalDevServer } from '../scripts/lib/temporal-dev-server';
import { resolveTemporalCli } from '../scripts/lib/temporal-cli';
import { startTestStack } from '../test/support/stack';
import { startClusterStack } from '../drills/lib/cluster-stack';
import { bookingBurstFigures } from './burst';
import { workerMemoryFigures } from './memory';
import { rescheduleFigures, sweepFigures } from './figures';
import { webhookFigure } from './webhooks';
import { steadyRateOnStack } from './steady';
import { cloudActionFigures } from './actions';
import { historyFigures } from './history';
import { codecCostFigures } from './codec';
import { clusterBenchStack, type BenchStack } from './lib/bench-stack';
import { writeReport, type Figure } from './lib/report';
import { labelled, renderSideBySide, type TargetFigures } from './lib/side-by-side';

/**
 * `npm run bench [-- --quick] [-- --cluster] [-- --only=sweep,burst,steady,memory,reschedule,webhooks,actions,codec]`:
 * the figures side by side on this machine, against the emulators with injected latency. The steady
 * figure runs at half this run's burst rate (each target's own), or at `--steady-rate=N` a second,
 * for `--steady-seconds=N` (60; 15 with --quick). With `--cluster`, the sweep (N=2000 only), burst,
 * reschedule and steady figures are taken again on a cluster (2 workers, 2 APIs) after the dev
 * server's, and shown side by side. Prints the table, and writes JSON, Markdown and an SVG chart
 * to bench/results/. WORKER_* variables tune the workers. The fault drills are `npm run drills`.
 */
/** The worker settings the memory figure is held to (also in .env.example and docs/operations.md). */
const WORKER_MEMORY_SETTINGS = {
  WORKER_MAX_CACHED_WORKFLOWS: '500',
  NODE_OPTIONS: '--max-old-space-size=512',
};

const quick = process.argv.includes('--quick');
// `--only=burst,sweep`: just those figures, while working on one of them
const only = process.argv
  .find((a) => a.startsWith('--only='))
  ?.slice(7)
  .split(',');
const wanted = (name: string): boolean => !only || only.includes(name);
const option = (name: string): string | undefined =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/** The figures every target gives: the sweep, the burst, the steady rate at half the burst's, reschedules. */
async function targetFigures(stack: BenchStack, sweepSizes: number[]): Promise<Figure[]> {
  const figures: Figure[] = [];
  if (wanted('sweep'))
    for (const n of sweepSizes) figures.push(...(await sweepFigures(stack, n, [10, 50, 100])));
  if (wanted('burst')) figures.push(...(await bookingBurstFigures(stack, quick ? 200 : 1000)));
  if (wanted('steady')) {
    const burst = figures.find((f) => f.group.startsWith('booking burst') && f.unit === '/s');
    const ratePerSecond = Number(option('steady-rate') ?? (burst ? burst.value / 2 : NaN));
    if (!(ratePerSecond > 0))
      throw new Error(
        'the steady figure runs at half the burst rate: run the burst too, or give --steady-rate=N',
      );
    const seconds = Number(option('steady-seconds') ?? (quick ? 15 : 60));
    figures.push(...(await steadyRateOnStack(stack, { ratePerSecond, seconds })));
  }
  if (wanted('reschedule')) figures.push(...(await rescheduleFigures(stack, quick ? 20 : 100)));
  return figures;
}

/** The dev server's column: every target figure, and those only the bench's own stack gives. */
async function devServerFigures(workerSettings: Record<string, string>): Promise<Figure[]> {
  let stopServer: (() => Promise<void>) | undefined;
  const previousAddress = process.env.TEMPORAL_ADDRESS;
  if (!previousAddress) {
    const server = await startTemporalDevServer({ cliPath: (await resolveTemporalCli()).path, ui: false });
    process.env.TEMPORAL_ADDRESS = server.address;
    stopServer = server.stop;
  }
  const stack = await startTestStack({ env: { LOG_LEVEL: 'warn', ...workerSettings } });
  try {
    const figures = await targetFigures(stack, quick ? [2000] : [2000, 20000]);
    if (wanted('memory'))
      figures.push(...(await workerMemoryFigures(stack, quick ? 300 : 10000, WORKER_MEMORY_SETTINGS)));
    if (wanted('webhooks')) figures.push(...(await webhookFigure(stack, quick ? 5 : 15)));
    if (wanted('actions')) figures.push(...(await cloudActionFigures(quick ? 2 : 5)));
    if (wanted('codec')) figures.push(...(await codecCostFigures(stack, quick ? 100 : 300, quick ? 1 : 3)));
    return figures;
  } finally {
    await stack.close();
    await stopServer?.();
    if (stopServer) delete process.env.TEMPORAL_ADDRESS;
  }
}

/** The cluster's column, on a cluster booted for it once the dev server's figures are taken. */
async function clusterFigures(workerSettings: Record<string, string>): Promise<Figure[]> {
  const log = (line: string): void => void process.stderr.write(`[bench cluster] ${line}\n`);
  const cluster = await startClusterStack({
    workers: 2,
    apis: 2,
    env: { LOG_LEVEL: 'warn', ...workerSettings },
    log,
  });
  try {
    return await targetFigures(clusterBenchStack(cluster), [2000]);
  } finally {
    await cluster.close();
  }
}

async function main(): Promise<void> {
  // WORKER_* settings from the environment reach both the service's worker and the ceiling's.
  const workerSettings = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('WORKER_') && !!e[1]),
  );
  const targets: TargetFigures[] = [
    { label: 'dev server', figures: [...(await devServerFigures(workerSettings)), ...historyFigures()] },
  ];
  if (process.argv.includes('--cluster'))
    try {
      targets.push({ label: 'cluster', figures: await clusterFigures(workerSettings) });
    } catch (error) {
      // The dev server's figures took many minutes: report them even when the cluster's fail.
      console.error('The cluster column failed:', error);
      process.exitCode = 1;
    }

  const out = resolve(__dirname, 'results');
  const [dev, ...others] = targets as [TargetFigures, ...TargetFigures[]];
  const table = await writeReport(
    [...dev.figures, ...others.flatMap(labelled)],
    { json: `${out}/latest.json`, svg: `${out}/latest.svg`, markdown: `${out}/latest.md` },
    { date: new Date().toISOString(), quick, cpus: 2, targets: targets.map((t) => t.label) },
  );
  console.log(table);
  if (others.length) {
    const sideBySide = renderSideBySide(targets);
    writeFileSync(`${out}/latest-side-by-side.md`, `${sideBySide}\n`);
    console.log(`\n${sideBySide}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
