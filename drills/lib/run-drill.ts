import { startClusterDrillStack, startDrillStack, type DrillStack } from './drill-stack';
import { sleep, waitUntil } from './converge';
import { verdict, type DrillContext, type DrillResult } from './types';

export type Measured = Omit<DrillResult, 'passed' | 'drill' | 'title'>;

/** What every drill does around its own part: a stack, its worker processes, the verdict, cleanup. */
export async function withDrillStack(
  ctx: DrillContext,
  drill: { name: string; title: string },
  setup: { workers: number; env?: Record<string, string>; cluster?: { apis: number } },
  body: (ds: DrillStack) => Promise<Measured>,
): Promise<DrillResult> {
  const ds = setup.cluster
    ? await startClusterDrillStack(
        drill.name,
        ctx.log,
        { workers: setup.workers, apis: setup.cluster.apis },
        setup.env,
      )
    : await startDrillStack(drill.name, ctx.log, setup.env);
  try {
    if (!ds.cluster) for (let i = 0; i < setup.workers; i++) await ds.startWorker();
    const measured = await body(ds);
    const starts = ds.workers.flatMap((w) => w.startMs);
    if (starts.length)
      measured.notes.push(`worker starts ${starts.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s`);
    measured.notes.push(...ds.crashes());
    return verdict({ drill: drill.name, title: drill.title, ...measured });
  } finally {
    await ds.close();
  }
}

/** How a drill finds the middle of its run: `probe` counts what is done, out of `total`. */
export interface Midpoint {
  label: string;
  total: number;
  share: number;
  probe(): Promise<number>;
  /** What is holding things up, when the middle is never reached. */
  diagnose?(): Promise<string>;
}

/**
 * Waits until `probe` reaches `share` of `total` (the middle of a burst or a sweep), then runs the
 * disruption. Returns its notes; a drill that never got that far is disrupted anyway, and says why.
 */
export async function disruptWhen(
  ctx: DrillContext,
  mid: Midpoint,
  disrupt: () => Promise<string>,
): Promise<Disrupted> {
  const target = Math.max(1, Math.ceil(mid.total * mid.share));
  const label = `${mid.label}: to ${Math.round(mid.share * 100)}%`;
  const reached = await waitUntil(label, target, mid.probe, ctx.options.deadlineMs);
  const notes = reached.done ? [] : [`only ${reached.value}/${mid.total} done before the disruption`];
  if (!reached.done && mid.diagnose) notes.push(await mid.diagnose());
  const at = Date.now();
  const started = performance.now();
  const what = await disrupt();
  notes.push(`${what} at ${reached.value}/${mid.total} (${seconds(performance.now() - started)})`);
  return { notes, at };
}

/** What a disruption did, and when it began (wall clock, as the emulators record their requests). */
export interface Disrupted {
  notes: string[];
  at?: number;
}

/** After quiescence, a moment for anything still in flight (a zombie attempt) to land before checking. */
export const settle = (): Promise<void> => sleep(3000);

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
