import { readdirSync, readFileSync } from 'node:fs';

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

/** CPU seconds used so far by every running process whose command is `command` (e.g. all of PostgreSQL's). */
export function commandCpuSeconds(command: string): number {
  let seconds = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === command)
        seconds += processCpuSeconds(Number(pid));
    } catch {
      // it exited meanwhile
    }
  }
  return seconds;
}

export interface CpuSplit {
  machine: number;
  /** This process (here: the API, the emulators and the load). */
  self: number;
  /** The other processes named, by name. */
  others: Record<string, number>;
  /** Processes by command: the Temporal server and PostgreSQL's. */
  commands: Record<string, number>;
}

const COMMANDS = ['temporal', 'postgres'];

/** Busy CPU seconds of the machine while `work` runs, with this process's and others' shares. */
export async function measureMachineCpu<T>(
  work: () => Promise<T>,
  others: Record<string, number> = {},
): Promise<{ result: T; cpu: CpuSplit }> {
  const before = { machine: machineBusySeconds(), self: process.cpuUsage() };
  const othersBefore = Object.entries(others).map(
    ([name, pid]) => [name, pid, processCpuSeconds(pid)] as const,
  );
  const commandsBefore = COMMANDS.map((command) => commandCpuSeconds(command));
  const result = await work();
  const machine = machineBusySeconds() - before.machine;
  const self = process.cpuUsage(before.self);
  const split: CpuSplit = {
    machine,
    self: (self.user + self.system) / 1e6,
    others: Object.fromEntries(othersBefore.map(([name, pid, at]) => [name, processCpuSeconds(pid) - at])),
    commands: Object.fromEntries(
      COMMANDS.map((command, i) => [command, commandCpuSeconds(command) - (commandsBefore[i] ?? 0)]),
    ),
  };
  return { result, cpu: split };
}
