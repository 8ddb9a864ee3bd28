import { readFileSync } from 'node:fs';

/**
 * CPU time the whole machine spent busy (every process: Temporal, PostgreSQL, the worker, the API,
 * the emulators, the load), in seconds, from /proc/stat. On a machine whose cores are all busy,
 * the work per item bounds the rate, whatever the tuning.
 */
export function machineBusySeconds(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!fields || fields.length < 5) return Number.NaN;
  const total = fields.reduce((a, b) => a + b, 0);
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
  return (total - idle) / 100; // USER_HZ is 100 on Linux
}

/** Busy CPU seconds of the machine while `work` runs. */
export async function measureMachineCpu<T>(
  work: () => Promise<T>,
): Promise<{ result: T; cpuSeconds: number }> {
  const before = machineBusySeconds();
  const result = await work();
  return { result, cpuSeconds: machineBusySeconds() - before };
}
