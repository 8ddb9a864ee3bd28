import { eachLimited } from '../../src/util/each-limited';
import { progressBar } from '../../bench/lib/progress';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Waited {
  done: boolean;
  value: number;
  ms: number;
  /** The last error the probe threw (a server being restarted), if any. */
  lastError?: string;
}

/**
 * Polls `probe` (how many of `total` are done) until all are, or the deadline passes. A probe that
 * throws (PostgreSQL or Temporal down in the middle of a drill) counts as no progress, not failure.
 */
export async function waitUntil(
  label: string,
  total: number,
  probe: () => Promise<number>,
  deadlineMs: number,
  intervalMs = 250,
): Promise<Waited> {
  const started = performance.now();
  const bar = progressBar(total, label);
  let value = 0;
  let lastError: string | undefined;
  try {
    for (;;) {
      try {
        const next = await probe();
        if (next > value) bar.tick(next - value);
        value = next;
        lastError = undefined;
      } catch (error) {
        lastError = (error as Error).message;
      }
      const ms = performance.now() - started;
      if (value >= total) return { done: true, value, ms };
      if (ms > deadlineMs) return { done: false, value, ms, lastError };
      await sleep(intervalMs);
    }
  } finally {
    bar.stop();
  }
}

/** Counts the items for which `test` holds, checking at most `limit` at once. */
export async function countWhere<T>(
  items: T[],
  limit: number,
  test: (item: T) => Promise<boolean>,
): Promise<number> {
  let count = 0;
  await eachLimited(items, limit, async (item) => void ((await test(item)) && count++));
  return count;
}
