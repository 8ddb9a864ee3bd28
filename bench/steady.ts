import { booking } from '../test/lessons/lesson-helpers';
import type { Figure } from './lib/report';
import { progressBar } from './lib/progress';
import { summarize } from './lib/stats';
import { apiClient, type ApiClient } from './lib/api-client';
import { withProviderLatency } from './lib/provider-latency';
import { withWorkerProcess } from './lib/worker-process';
import { apiUrlsOf, targetLabel, type BenchStack } from './lib/bench-stack';

/** Where the load goes: only addresses, so that the same figure runs against the dev server or a cluster. */
export interface SteadyTarget {
  /** What the figures are grouped under, e.g. "dev server" or "cluster". */
  label: string;
  /** The APIs' base URLs: bookings go round-robin over them, and each lesson is watched where it was booked. */
  apiUrls: string[];
  bookingToken: string;
  /** Held to the goal (p99 ≤ 1 s): the dev server's figure. */
  goal?: boolean;
}

export interface SteadyLoad {
  ratePerSecond: number;
  seconds: number;
  /** How often each pending lesson's meeting is read (the figures' resolution). */
  pollMs?: number;
}

const GOAL_MS = 1000;
const READY_TIMEOUT_MS = 60_000;
const CONNECTIONS_PER_API = 64;

/**
 * Issue 21's figure: bookings at a steady rate (open loop: each sent at its planned time, whatever
 * the answers before it), each timed from its POST /lessons until GET /lessons/:id/meeting shows the
 * meeting (its join link), the first answer from which the platform can hand out the lesson's link.
 */
export async function steadyRateFigures(target: SteadyTarget, load: SteadyLoad): Promise<Figure[]> {
  const pollMs = load.pollMs ?? 50;
  const clients = target.apiUrls.map((url) => apiClient(url, target.bookingToken, CONNECTIONS_PER_API));
  const count = Math.max(1, Math.round(load.ratePerSecond * load.seconds));
  const bar = progressBar(count, `steady ${load.ratePerSecond.toFixed(1)}/s for ${load.seconds} s`);
  const latencies: number[] = [];
  const failures: string[] = [];
  let maxLagMs = 0;
  const started = performance.now();
  const lessons: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const plannedAt = started + (i * 1000) / load.ratePerSecond;
    const wait = plannedAt - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    maxLagMs = Math.max(maxLagMs, performance.now() - plannedAt);
    const client = clients[i % clients.length] as ApiClient;
    lessons.push(
      bookAndWatch(client, pollMs)
        .then((ms) => void latencies.push(ms))
        .catch((error: unknown) => void failures.push(String(error)))
        .finally(() => bar.tick()),
    );
  }
  await Promise.all(lessons);
  bar.stop();
  await Promise.all(clients.map((c) => c.close()));
  const s = summarize(latencies);
  // The target is the column (side by side) or the group's suffix (labelled) of the report.
  const group = 'steady booking → ready';
  const notes = `${count} bookings at ${load.ratePerSecond.toFixed(1)}/s for ${load.seconds} s over ${target.apiUrls.length} API(s); meeting read every ${pollMs} ms; not ready or refused: ${failures.length}${failures[0] ? ` (first: ${failures[0]})` : ''}; sends at most ${maxLagMs.toFixed(0)} ms late`;
  return [
    { group, name: 'p50 booking → meeting shown', value: s.p50, unit: 'ms', notes },
    {
      group,
      name: 'p99 booking → meeting shown',
      value: s.p99,
      unit: 'ms',
      goal: target.goal
        ? { description: '≤ 1 s', met: s.p99 <= GOAL_MS && failures.length === 0 }
        : undefined,
      notes: `max ${s.max.toFixed(0)} ms`,
    },
  ];
}

/** One lesson: its booking, then its meeting read until it shows a join link. Milliseconds from the POST. */
async function bookAndWatch(client: ApiClient, pollMs: number): Promise<number> {
  const b = booking();
  const sentAt = performance.now();
  const status = await client.book(b);
  if (status !== 202) throw new Error(`POST /lessons answered ${status}`);
  for (;;) {
    if (await client.meetingShown(b.id)) return performance.now() - sentAt;
    if (performance.now() - sentAt > READY_TIMEOUT_MS) throw new Error(`${b.id} not ready in 60 s`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/**
 * On a bench stack, as the burst runs: the providers' latency injected; on the dev server the
 * worker a process of its own, held to the goal; on a cluster its workers, over all its APIs.
 */
export async function steadyRateOnStack(stack: BenchStack, load: SteadyLoad): Promise<Figure[]> {
  const target = {
    label: targetLabel(stack),
    apiUrls: apiUrlsOf(stack),
    bookingToken: stack.env.BOOKING_API_TOKEN,
    goal: !stack.cluster,
  };
  return withProviderLatency(stack, () =>
    withWorkerProcess(stack, {}, () => steadyRateFigures(target, load)),
  );
}
