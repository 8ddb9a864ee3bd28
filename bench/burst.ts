import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { eachLimited } from '../src/util/each-limited';
import { workerTuning } from '../src/worker/create-worker';
import { booking } from '../test/lessons/lesson-helpers';
import { workflowConverterPaths } from '../src/temporal/data-converter';
import { testDataConverter } from '../test/support/payload-key';
import type { TestStack } from '../test/support/stack';
import { uniqueName } from '../test/support/temporal';
import type { Figure } from './lib/report';
import { progressBar } from './lib/progress';
import { withWorkerProcess } from './lib/worker-process';
import { summarize } from './lib/stats';
import { measureMachineCpu, type CpuSplit } from './lib/machine-cpu';
import { withProviderLatency } from './lib/provider-latency';
import { apiClient } from './lib/api-client';
import { apiUrlsOf, type BenchStack } from './lib/bench-stack';

const POLL_MS = 100;
const CLIENT_CONNECTIONS = 100;
/** How long the burst may go without a lesson becoming ready before it is called stuck. */
const STALL_MS = 120_000;
const silent = (): void => undefined;

/**
 * Figure 2: `count` POST /lessons at once, until every meeting row exists and both LessonBooked
 * emails were accepted, against the same count of empty workflows on the same server with the same
 * worker settings (the ceiling), with the API, PostgreSQL and the emulators running.
 */
export async function bookingBurstFigures(stack: BenchStack, count: number): Promise<Figure[]> {
  // The ceiling brackets the burst, one run before and one after, and takes their mean: a single run
  // swung from 75 to 120 empty workflows a second, and the server slows as its store fills.
  const ceilingBefore = await measureMachineCpu(() => emptyWorkflowSeconds(stack, count));

  const run = `B${randomBytes(3).toString('hex')}`;
  const bookings = Array.from({ length: count }, (_, i) => booking({ id: `${run}-${i}` }));
  const bar = progressBar(count, `booking burst of ${count}`);
  const bookedAt = new Map<string, number>();
  let started = 0;
  // Watched from the first request on; the booking system's client keeps CLIENT_CONNECTIONS open.
  // The worker is a process of its own; the API and the emulators stay in this one.
  let rejected = 0;
  // Round-robin over the target's APIs (one on the dev server, two on a cluster).
  const urls = apiUrlsOf(stack);
  const clients = urls.map((url) =>
    apiClient(url, stack.env.BOOKING_API_TOKEN, Math.ceil(CLIENT_CONNECTIONS / urls.length)),
  );
  const { result: readyAt, cpu: split } = await withProviderLatency(stack, () =>
    withWorkerProcess(stack, {}, async (workerPid) =>
      measureMachineCpu(
        async () => {
          started = performance.now();
          const ready = waitUntilReady(
            stack,
            bookings.map((b) => b.id),
            () => bar.tick(),
          );
          await eachLimited(bookings, CLIENT_CONNECTIONS, async (b) => {
            bookedAt.set(b.id, performance.now());
            const client = clients[bookedAt.size % clients.length] as (typeof clients)[number];
            if ((await client.book(b)) !== 202) rejected++;
          });
          return ready;
        },
        { worker: workerPid },
      ),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.close()));
  bar.stop();
  const ceilingAfter = await measureMachineCpu(() => emptyWorkflowSeconds(stack, count));
  const ceilings = [ceilingBefore, ceilingAfter];
  const meanOfCeilings = (of: (c: (typeof ceilings)[number]) => number): number =>
    ceilings.reduce((sum, c) => sum + of(c), 0) / ceilings.length;
  const ceilingRates = ceilings.map((c) => count / c.result);
  const ceilingRate = meanOfCeilings((c) => count / c.result);
  const ceilingCpuPerWorkflow = meanOfCeilings((c) => c.cpu.machine) / count;
  const ceilingTemporalPerWorkflow = meanOfCeilings((c) => c.cpu.commands.temporal ?? 0) / count;

  const latencies = [...readyAt].map(([id, at]) => at - (bookedAt.get(id) ?? started));
  const s = summarize(latencies);
  const fraction = count / seconds / ceilingRate;
  const group = `booking burst N=${count}`;
  return [
    {
      group,
      name: 'lessons ready per second',
      value: count / seconds,
      unit: '/s',
      reference: { name: 'empty workflows /s', value: ceilingRate },
      goal: { description: '≥ 0.6 of the ceiling', met: fraction >= 0.6 },
      notes: `${seconds.toFixed(1)} s; ceiling: mean of ${ceilingRates.map((r) => r.toFixed(0)).join(' (before) and ')} (after)/s; non-202: ${rejected}; ${CLIENT_CONNECTIONS} client connections; ${tuningNote(stack)}`,
    },
    {
      group,
      name: 'machine CPU per lesson',
      value: (split.machine / count) * 1000,
      unit: 'ms',
      reference: { name: 'per empty workflow', value: ceilingCpuPerWorkflow * 1000 },
      notes: `${cpuSplitNote(split, count)}; per empty workflow: Temporal ${(ceilingTemporalPerWorkflow * 1000).toFixed(0)} ms`,
    },
    { group, name: 'p50 booking → ready', value: s.p50, unit: 'ms', notes: `polled every ${POLL_MS} ms` },
    { group, name: 'p95 booking → ready', value: s.p95, unit: 'ms' },
    { group, name: 'p99 booking → ready', value: s.p99, unit: 'ms' },
  ];
}

/** Where a lesson's CPU went: the worker, this process (API, emulators, load), Temporal, PostgreSQL, the rest. */
function cpuSplitNote(split: CpuSplit, count: number): string {
  const ms = (seconds: number): string => `${((seconds / count) * 1000).toFixed(0)} ms`;
  const worker = split.others.worker ?? 0;
  const temporal = split.commands.temporal ?? 0;
  const postgres = split.commands.postgres ?? 0;
  const rest = split.machine - split.self - worker - temporal - postgres;
  return `per lesson: worker ${ms(worker)}, API + emulators + load ${ms(split.self)}, Temporal ${ms(temporal)}, PostgreSQL ${ms(postgres)}, other ${ms(rest)}`;
}

function tuningNote(stack: TestStack): string {
  const settings = Object.entries(workerTuning(stack.env)).map(
    ([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
  );
  return `worker: ${settings.join(', ') || 'SDK defaults'}`;
}

/**
 * Polls PostgreSQL for the lessons not ready yet: a lesson is ready when its row exists and both
 * booked emails are confirmed in the ledger. Index lookups of the pending ids only, so that the
 * watching costs little beside the work it watches.
 */
async function waitUntilReady(
  stack: TestStack,
  lessonIds: string[],
  onReady: () => void,
): Promise<Map<string, number>> {
  const db = stack.database.db;
  const readyAt = new Map<string, number>();
  let pending = lessonIds;
  // A stall, not a slow machine, ends the wait: on shared cores a burst may take many minutes.
  let lastProgress = Date.now();
  while (pending.length) {
    if (Date.now() - lastProgress > STALL_MS)
      throw new Error(
        `only ${readyAt.size} of ${lessonIds.length} lessons ready, none for ${STALL_MS / 1000} s`,
      );
    const { rows } = await db.raw<{ rows: Array<{ id: string }> }>(
      `SELECT l.id FROM unnest(?::text[]) AS l(id)
        WHERE EXISTS (SELECT 1 FROM meetings m WHERE m.lesson_id = l.id)
          AND (SELECT count(*) FROM sent_emails s
                WHERE s.idempotency_key IN (l.id || ':booked:1:tutor', l.id || ':booked:1:student')
                  AND s.status = 'sent') = 2`,
      [pending],
    );
    const now = performance.now();
    for (const { id } of rows) {
      readyAt.set(id, now);
      onReady();
    }
    if (rows.length) lastProgress = Date.now();
    pending = pending.filter((id) => !readyAt.has(id));
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return readyAt;
}

/** The ceiling: `count` empty workflows started at once, on a worker with the service's settings. */
async function emptyWorkflowSeconds(stack: TestStack, count: number): Promise<number> {
  const taskQueue = uniqueName('bench-empty');
  const worker = await Worker.create({
    connection: stack.temporal.nativeConnection,
    namespace: stack.env.TEMPORAL_NAMESPACE,
    taskQueue,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: resolve(__dirname, 'workflows/empty-workflow.ts'),
      ...workflowConverterPaths,
      logger: { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: silent },
    }),
    // as the service's worker: the ceiling pays for the codec too
    dataConverter: testDataConverter(),
    ...workerTuning(stack.env),
  });
  const bar = progressBar(count, `ceiling: ${count} empty workflows`);
  const seconds = await worker.runUntil(async () => {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: count }, async (_, i) => {
        await stack.temporal.client.workflow.execute('emptyWorkflow', {
          taskQueue,
          workflowId: `${taskQueue}-${i}`,
        });
        bar.tick();
      }),
    );
    return (performance.now() - started) / 1000;
  });
  bar.stop();
  return seconds;
}
