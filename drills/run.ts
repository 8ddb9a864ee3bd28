import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { allDrills } from './all';
import { baseline } from './baseline';
import { clusterDrills } from './cluster';
import { parseDrillArguments } from './lib/arguments';
import { writeDrillResults } from './lib/report';
import { runDrills } from './lib/runner';

/**
 * `npm run drills [-- --quick] [--cluster] [--only faults-burst,kill-sweep] [--lessons 200] [--tokens 400]`:
 * the fault drills, each ending with the invariant checks. Prints the table, writes
 * drills/results/latest.json (and .md; latest-cluster.* with --cluster), and exits non-zero when
 * an invariant fails.
 */
/** The commit the drills ran on, and whether the working tree had changes on top. */
function revision(): string {
  const git = (...args: string[]): string => execFileSync('git', args, { encoding: 'utf8' }).trim();
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src') ? ' + local changes in src/' : ''}`;
  } catch {
    return 'unknown';
  }
}

const WARM_UP_LESSONS = 20;

async function main(): Promise<number> {
  const { cluster, options, drills } = parseDrillArguments(process.argv.slice(2), {
    dev: allDrills,
    cluster: clusterDrills,
  });

  const started = new Date();
  // A cluster drill boots a fresh cluster of its own: no shared dev server to warm up.
  const results = cluster
    ? await runDrills(drills, options, undefined, { temporal: false })
    : await runDrills(drills, options, { drill: baseline, lessons: WARM_UP_LESSONS });
  const out = resolve(__dirname, 'results');
  const file = cluster ? 'latest-cluster' : 'latest';
  const table = writeDrillResults(
    results,
    { json: `${out}/${file}.json`, markdown: `${out}/${file}.md` },
    {
      date: started.toISOString(),
      revision: revision(),
      target: cluster ? 'cluster (2 workers, 2 APIs)' : 'dev server',
      ...options,
      cpus: cpus().length,
      node: process.version,
    },
  );
  console.log(table);
  return results.length > 0 && results.every((r) => r.passed) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
