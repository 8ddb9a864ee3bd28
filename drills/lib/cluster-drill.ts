import type { RunningCluster } from '../../scripts/lib/cluster/start-cluster';
import { runBurst } from './burst-drill';
import { sleep } from './converge';
import { withDrillStack, type Measured } from './run-drill';
import { runSweep } from './sweep-drill';
import type { Drill, EmailsCheck } from './types';

/** The topology every cluster drill boots: two workers and two APIs, as `npm run cluster` does. */
export const CLUSTER_SIZE = { workers: 2, apis: 2 } as const;

/** How long a killed Temporal service stays down before it is started again. */
export const DOWN_MS = 2000;

export interface ClusterDrillSpec {
  name: string;
  title: string;
  /** In the middle of the burst, then of the sweep; answers a note saying what it did. */
  disrupt(cluster: RunningCluster): Promise<string>;
  /** After the burst has settled, before the sweep: bring back what `disrupt` left down. */
  recover?(cluster: RunningCluster): Promise<void>;
}

/** Two email checks as one: the burst's booked emails and the sweep's reconnection emails. */
export function mergeEmailChecks(a?: EmailsCheck, b?: EmailsCheck): EmailsCheck | undefined {
  if (!a || !b) return a ?? b;
  return {
    expected: a.expected + b.expected,
    duplicates: a.duplicates + b.duplicates,
    missing: a.missing + b.missing,
    lostAnswers: a.lostAnswers + b.lostAnswers,
    acrossDisruption: a.acrossDisruption + b.acrossDisruption,
    confirmedByEvent: a.confirmedByEvent + b.confirmedByEvent,
    problems: [...a.problems, ...b.problems],
  };
}

/** One row for both halves: the burst's meetings, the sweep's tokens, the emails of both. */
export function combineMeasured(burst: Measured, sweep: Measured): Measured {
  return {
    subjects: `${burst.subjects} + ${sweep.subjects}`,
    durationMs: burst.durationMs + sweep.durationMs,
    converged: burst.converged && sweep.converged,
    meetings: burst.meetings,
    tokens: sweep.tokens,
    emails: mergeEmailChecks(burst.emails, sweep.emails),
    notes: [...burst.notes.map((n) => `burst: ${n}`), ...sweep.notes.map((n) => `sweep: ${n}`)],
  };
}

/**
 * A drill on the production topology: a cluster of its own (Temporal's four services, two workers,
 * two APIs), a booking burst spread over both APIs with `disrupt` at a quarter, then a token sweep
 * with `disrupt` again; the invariants of the dev-server drills, checked by the same code.
 */
export function clusterDrill(spec: ClusterDrillSpec): Drill {
  return {
    name: spec.name,
    title: spec.title,
    run: (ctx) =>
      withDrillStack(
        ctx,
        spec,
        { workers: CLUSTER_SIZE.workers, cluster: { apis: CLUSTER_SIZE.apis } },
        async (ds) => {
          const cluster = ds.cluster;
          if (!cluster) throw new Error(`${spec.name} runs on a cluster`);
          const disrupt = (): Promise<string> => spec.disrupt(cluster);
          const burst = await runBurst({ name: `${spec.name} burst`, title: spec.title, disrupt }, ctx, ds);
          await spec.recover?.(cluster);
          const sweep = await runSweep(
            { name: `${spec.name} sweep`, title: spec.title, disrupt, ownEmailsOnly: true },
            ctx,
            ds,
          );
          return combineMeasured(burst, sweep);
        },
      ),
  };
}

const pidOf = (cluster: RunningCluster, name: string): string =>
  String(cluster.processes[name]?.child?.pid ?? '?');

/** SIGKILL one process, leave it down `downMs`, start it again: how long the restart took. */
export async function killAndRestart(cluster: RunningCluster, name: string, downMs: number): Promise<string> {
  const pid = pidOf(cluster, name);
  await cluster.kill(name);
  await sleep(downMs);
  const started = performance.now();
  await cluster.restart(name);
  return `SIGKILL of ${name} (pid ${pid}), down ${downMs / 1000} s, up again as pid ${pidOf(cluster, name)} in ${((performance.now() - started) / 1000).toFixed(1)} s`;
}

/** A graceful restart (SIGTERM, then start), as a rolling deploy does it. */
export async function gracefulRestart(cluster: RunningCluster, name: string): Promise<string> {
  const pid = pidOf(cluster, name);
  const started = performance.now();
  await cluster.restart(name);
  return `${name} restarted (pid ${pid} → ${pidOf(cluster, name)}) in ${((performance.now() - started) / 1000).toFixed(1)} s`;
}

/** SIGKILL one process and leave it down (the drill's `recover` brings it back). */
export async function killForGood(cluster: RunningCluster, name: string): Promise<string> {
  const pid = pidOf(cluster, name);
  await cluster.kill(name);
  return `SIGKILL of ${name} (pid ${pid}), left down`;
}
