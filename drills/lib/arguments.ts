import { CLUSTER_FULL, CLUSTER_QUICK, FULL, QUICK } from './runner';
import type { Drill, DrillOptions } from './types';

/** What one `npm run drills` does: which drills, how big, and against what. */
export interface DrillRun {
  /** `--cluster`: the production topology's drills, each on a cluster of its own. */
  cluster: boolean;
  options: DrillOptions;
  drills: Drill[];
}

function valueOf(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

function positiveInteger(argv: readonly string[], name: string, fallback: number): number {
  const raw = valueOf(argv, name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} takes a positive whole number, not ${raw}`);
  return n;
}

/**
 * `[--cluster] [--quick] [--only a,b] [--lessons N] [--tokens N]`: the dev server's drills by
 * default, the cluster's with `--cluster` (smaller sizes by default); `--only` picks by name.
 */
export function parseDrillArguments(
  argv: readonly string[],
  lists: { dev: Drill[]; cluster: Drill[] },
): DrillRun {
  const cluster = argv.includes('--cluster');
  const quick = argv.includes('--quick');
  const base = cluster ? (quick ? CLUSTER_QUICK : CLUSTER_FULL) : quick ? QUICK : FULL;
  const options = {
    ...base,
    lessons: positiveInteger(argv, 'lessons', base.lessons),
    tokens: positiveInteger(argv, 'tokens', base.tokens),
  };
  const all = cluster ? lists.cluster : lists.dev;
  const only = valueOf(argv, 'only')?.split(',');
  const drills = only ? all.filter((d) => only.includes(d.name)) : all;
  const unknown = only?.filter((name) => !all.some((d) => d.name === name)) ?? [];
  if (drills.length === 0 || unknown.length > 0)
    throw new Error(
      `no ${cluster ? 'cluster ' : ''}drill named ${unknown.join(', ') || only?.join(', ')}; there are: ${all.map((d) => d.name).join(', ')}`,
    );
  return { cluster, options, drills };
}
