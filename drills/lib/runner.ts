import { startDrillInfra } from './infra';
import type { Drill, DrillContext, DrillOptions, DrillResult } from './types';

export const FULL: DrillOptions = { quick: false, lessons: 200, tokens: 400, deadlineMs: 600_000 };
export const QUICK: DrillOptions = { quick: true, lessons: 40, tokens: 80, deadlineMs: 300_000 };
/** On a cluster (2 shared cores run Temporal's four services, two workers and two APIs): smaller. */
export const CLUSTER_FULL: DrillOptions = { quick: false, lessons: 100, tokens: 200, deadlineMs: 600_000 };
export const CLUSTER_QUICK: DrillOptions = { quick: true, lessons: 40, tokens: 80, deadlineMs: 300_000 };

const log = (line: string): void => void process.stderr.write(`[drills] ${line}\n`);

/**
 * Runs the drills one after the other against one PostgreSQL and one Temporal server (each drill
 * has its own database, task queue and emulators; a cluster drill boots its own Temporal). A drill that throws is a failed row, not the
 * end of the run; a drill whose needs the servers can't meet (under `npm test`) is left out.
 */
export async function runDrills(
  drills: Drill[],
  options: DrillOptions,
  warmUp?: { drill: Drill; lessons: number },
  infraOptions: { temporal?: boolean } = {},
): Promise<DrillResult[]> {
  const infra = await startDrillInfra(log, infraOptions);
  const ctx: DrillContext = { options, infra, log };
  const results: DrillResult[] = [];
  try {
    // A fresh Temporal server and a cold API answer the first burst slowly: warm them up, untimed.
    if (warmUp) {
      log(`warming up: ${warmUp.drill.title}, ${warmUp.lessons} lessons`);
      await warmUp.drill.run({ ...ctx, options: { ...options, lessons: warmUp.lessons } });
    }
    for (const drill of drills) {
      if (drill.needs?.some((need) => !infra.can(need))) {
        log(`${drill.name}: left out (needs ${drill.needs.join(', ')})`);
        continue;
      }
      log(`${drill.name}: ${drill.title}`);
      const started = performance.now();
      const result = await drill.run(ctx).catch((error: unknown): DrillResult => ({
        drill: drill.name,
        title: drill.title,
        subjects: '',
        durationMs: performance.now() - started,
        converged: false,
        passed: false,
        notes: [
          `the drill threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        ],
      }));
      log(
        `${drill.name}: ${result.passed ? 'pass' : 'FAIL'} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
      results.push(result);
    }
  } finally {
    await infra.close();
  }
  return results;
}
