import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { allDrills } from './all';
import { baseline } from './baseline';
import { writeDrillResults } from './lib/report';
import { FULL, QUICK, runDrills } from './lib/runner';

/**
 * `npm run drills [-- --quick] [--only faults-burst,kill-sweep] [--lessons 200] [--tokens 400]`:
 * the fault drills, each ending with the invariant checks. Prints the table, writes
 * drills/results/latest.json (and .md), and exits non-zero when an invariant fails.
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

function argument(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const base = process.argv.includes('--quick') ? QUICK : FULL;
  const options = {
    ...base,
    lessons: Number(argument('lessons') ?? base.lessons),
    tokens: Number(argument('tokens') ?? base.tokens),
  };
  const only = argument('only')?.split(',');
  const drills = only ? allDrills.filter((d) => only.includes(d.name)) : allDrills;
  if (drills.length === 0) throw new Error(`no drill named ${only?.join(', ')}`);

  const started = new Date();
  const results = await runDrills(drills, options, { drill: baseline, lessons: WARM_UP_LESSONS });
  const out = resolve(__dirname, 'results');
  const table = writeDrillResults(
    results,
    { json: `${out}/latest.json`, markdown: `${out}/latest.md` },
    {
      date: started.toISOString(),
      revision: revision(),
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
