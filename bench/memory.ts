import { readFileSync } from 'node:fs';
import { lessonWorkflowId } from '../src/lessons/ids';
import { booking } from '../test/lessons/lesson-helpers';
import type { TestStack } from '../test/support/stack';
import type { Figure } from './lib/report';
import { progressBar } from './lib/progress';
import { withWorkerProcess } from './lib/worker-process';

const START_CONCURRENCY = 100;

/** Resident and peak memory of a process, from /proc (Linux). */
function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/**
 * Figure 4: the RSS of one worker process (`npm run worker`, with the service's settings) holding
 * `count` open lesson workflows, each booked and waiting for its lesson two days ahead.
 */
export async function workerMemoryFigures(
  stack: TestStack,
  count: number,
  settings: Record<string, string> = {},
): Promise<Figure[]> {
  return withWorkerProcess(stack, settings, async (pid) => {
    const idle = memoryOf(pid);
    const ids: string[] = [];
    try {
      const bar = progressBar(count, `${count} open lessons`);
      for (let i = 0; i < count; i += START_CONCURRENCY) {
        const batch = Array.from({ length: Math.min(START_CONCURRENCY, count - i) }, () => booking());
        await Promise.all(batch.map((b) => stack.container.services.lessonCommands.book(b)));
        ids.push(...batch.map((b) => b.id));
        bar.tick(batch.length);
      }
      bar.stop();
      await waitForRows(stack, ids);
      const open = memoryOf(pid);
      return [
        {
          group: 'worker memory',
          name: `RSS with ${count} open lessons`,
          value: open.rssMb,
          unit: 'MB',
          goal: { description: '≤ 600 MB', met: open.rssMb <= 600 },
          notes: `idle ${idle.rssMb.toFixed(0)} MB; peak ${open.peakMb.toFixed(0)} MB; one worker process; ${JSON.stringify(settings)}`,
        },
      ];
    } finally {
      await terminate(stack, ids);
    }
  });
}

async function waitForRows(stack: TestStack, ids: string[]): Promise<void> {
  const deadline = Date.now() + ids.length * 500;
  for (;;) {
    const [{ count } = { count: 0 }] = await stack.database
      .db('meetings')
      .whereIn('lesson_id', ids)
      .count<{ count: string }[]>('lesson_id as count');
    if (Number(count) >= ids.length) return;
    if (Date.now() > deadline) throw new Error(`only ${count} of ${ids.length} lessons have a meeting`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The lessons would otherwise wait two days on a server that may outlive the benchmark. */
async function terminate(stack: TestStack, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += START_CONCURRENCY)
    await Promise.all(
      ids.slice(i, i + START_CONCURRENCY).map((id) =>
        stack.temporal.client.workflow
          .getHandle(lessonWorkflowId(id))
          .terminate('benchmark over')
          .catch(() => undefined),
      ),
    );
}
