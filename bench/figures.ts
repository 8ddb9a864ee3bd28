import { api, booking, waitFor } from '../test/lessons/lesson-helpers';
import { seedZoomConnections } from '../test/support/seed-tokens';
import type { TestStack } from '../test/support/stack';
import type { BenchStack } from './lib/bench-stack';
import { uniqueName } from '../test/support/temporal';
import type { Figure } from './lib/report';
import { progressBar } from './lib/progress';
import { withWorkerProcess } from './lib/worker-process';
import { summarize } from './lib/stats';

const LATENCY_MS = 50;

/** Figure 1: the service's sweep against the seed's one-by-one loop and the theoretical limit. */
export async function sweepFigures(stack: BenchStack, n: number, concurrencies: number[]): Promise<Figure[]> {
  await stack.database.db('oauth_service_tokens').delete();
  await seedZoomConnections(stack, n, `bench${n}`);
  stack.zoom.faults.clear();
  stack.zoom.faults.add({ route: 'GET /v2/users/me', latencyMs: LATENCY_MS });
  const figures: Figure[] = [];

  // The seed's design: one loop, one token after the other (measured on a sample, then scaled).
  const sample = (await stack.container.stores.tokens.listZoomTokens(null, 40)).map((row) => row.id);
  const loopStarted = performance.now();
  for (const id of sample) await stack.container.services.tokenService.validateToken(id);
  const loopSeconds = (((performance.now() - loopStarted) / sample.length) * n) / 1000;

  const bar = progressBar(concurrencies.length, `sweep of ${n}`);
  // The service's sweep runs on a worker process of its own, the emulator and API stay here.
  await withWorkerProcess(stack, {}, async () => {
    for (const concurrency of concurrencies) {
      const started = performance.now();
      const workflowId = uniqueName(`bench-sweep-${n}-${concurrency}`);
      await stack.temporal.client.workflow.execute('tokenSweepWorkflow', {
        taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
        workflowId,
        // A page holds ten rounds of the concurrency, so page boundaries cost little.
        args: [
          {
            sweepDate: '2032-01-01',
            settings: { pageSize: Math.max(500, concurrency * 10), concurrency, maxAttempts: 3 },
          },
        ],
      });
      const seconds = (performance.now() - started) / 1000;
      const limit = (n * LATENCY_MS) / concurrency / 1000;
      const { events, runs, largestRun } = await historyOfAllRuns(stack, workflowId);
      figures.push(
        {
          group: `sweep N=${n}`,
          name: `c=${concurrency}: fraction of the limit`,
          value: limit / seconds,
          unit: '×',
          goal:
            concurrency === 100
              ? { description: '≥ 0.5 of the limit', met: limit / seconds >= 0.5 }
              : undefined,
          notes: `${seconds.toFixed(1)} s; limit ${limit.toFixed(1)} s; page ${Math.max(500, concurrency * 10)}`,
        },
        {
          group: `sweep N=${n}`,
          name: `c=${concurrency}: speedup over the seed's loop`,
          value: loopSeconds / seconds,
          unit: '×',
          goal: concurrency === 100 ? { description: '≥ 50×', met: loopSeconds / seconds >= 50 } : undefined,
          notes: `loop ${loopSeconds.toFixed(0)} s`,
        },
        {
          group: `sweep N=${n}`,
          name: `c=${concurrency}: history events per 1,000 valid tokens`,
          value: (events / n) * 1000,
          unit: 'events',
          goal: { description: '≤ 20', met: (events / n) * 1000 <= 20 },
          notes: `${runs} run(s) by continue-as-new`,
        },
        {
          group: `sweep N=${n}`,
          name: `c=${concurrency}: events in the largest single run`,
          value: largestRun,
          unit: 'events',
          goal: { description: 'far below 10,240 (≤ 2,000)', met: largestRun <= 2000 },
        },
      );
      bar.tick();
    }
  });
  bar.stop();
  stack.zoom.faults.clear();
  return figures;
}

/** Every run of a workflow id (continue-as-new makes several): their total and largest history. */
async function historyOfAllRuns(
  stack: TestStack,
  workflowId: string,
): Promise<{ events: number; runs: number; largestRun: number }> {
  // Visibility lags a little behind the result: wait until it shows every run closed.
  let lengths: number[] = [];
  for (let tries = 0; tries < 50; tries++) {
    const runs = [];
    for await (const run of stack.temporal.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
      runs.push(run);
    lengths = runs.map((run) => run.historyLength);
    if (runs.length > 0 && runs.every((run) => run.status.name !== 'RUNNING')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    events: lengths.reduce((a, b) => a + b, 0),
    runs: lengths.length,
    largestRun: Math.max(...lengths),
  };
}

/** Figure 3: from the reschedule HTTP call to the provider's update, on an idle stack. */
export async function rescheduleFigures(stack: BenchStack, count: number): Promise<Figure[]> {
  const b = booking();
  await api(stack).book(b);
  await waitFor('the room', async () => stack.daily.rooms().some((r) => r.name.includes(b.id)));
  const samples: number[] = [];
  const bar = progressBar(count, 'reschedules');
  for (let i = 1; i <= count; i++) {
    const startsAt = new Date(Date.parse(b.startsAt) + i * 60_000);
    const exp = Math.floor(startsAt.getTime() / 1000) + 3600 + stack.env.LESSON_GRACE_MINUTES * 60;
    const started = performance.now();
    await api(stack).reschedule(b.id, {
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
    });
    await waitFor(
      'the provider update',
      async () => stack.daily.rooms().some((r) => r.name.includes(b.id) && r.config.exp === exp),
      10_000,
    );
    samples.push(performance.now() - started);
    bar.tick();
  }
  bar.stop();
  const s = summarize(samples);
  return [
    { group: 'reschedule', name: 'p50 HTTP → provider', value: s.p50, unit: 'ms' },
    {
      group: 'reschedule',
      name: 'p99 HTTP → provider',
      value: s.p99,
      unit: 'ms',
      goal: { description: '≤ 500 ms', met: s.p99 <= 500 },
    },
  ];
}
