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

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
  return (Number(fields?.[11]) + Number(fields?.[12])) / 100;
}

export interface CpuSplit {
  machine: number;
  /** This process (here: the API, the emulators and the load). */
  self: number;
  /** The other processes named, by name. */
  others: Record<string, number>;
}

/** Busy CPU seconds of the machine while `work` runs, with this process's and others' shares. */
export async function measureMachineCpu<T>(
  work: () => Promise<T>,
  others: Record<string, number> = {},
): Promise<{ result: T; cpu: CpuSplit }> {
  const before = { machine: machineBusySeconds(), self: process.cpuUsage() };
  const othersBefore = Object.entries(others).map(
    ([name, pid]) => [name, pid, processCpuSeconds(pid)] as const,
  );
  const result = await work();
  const machine = machineBusySeconds() - before.machine;
  const self = process.cpuUsage(before.self);
  const split: CpuSplit = {
    machine,
    self: (self.user + self.system) / 1e6,
    others: Object.fromEntries(othersBefore.map(([name, pid, at]) => [name, processCpuSeconds(pid) - at])),
  };
  return { result, cpu: split };
}
