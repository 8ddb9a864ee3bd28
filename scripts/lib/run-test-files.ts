import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Runs test files as `node --test` would (a process per file, `concurrency` at a time), but in
 * an order and with a report of our own: the files that took longest last time start first, so
 * that no slow file starts near the end and stretches the run, and each file's output is printed
 * whole when it ends, with its wall time.
 */
export interface TestFilesRun {
  files: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  concurrency: number;
  /** Where each file's last wall time is kept (the cache folder, kept between CI runs). */
  durationsFile: string;
  log: (line: string) => void;
}

export interface FileResult {
  file: string;
  ms: number;
  ok: boolean;
  /** From the file's own summary lines (`# pass 3` in TAP, `ℹ pass 3` in spec). */
  counts: { tests: number; pass: number; fail: number };
}

const countOf = (output: string, name: string): number =>
  Number(new RegExp(`^(?:#|ℹ) ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? 0);

type Durations = Record<string, number>;

function readDurations(path: string): Durations {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Durations;
  } catch {
    return {};
  }
}

/** Slowest first; a file never timed counts as slow, since it may be. */
export function slowestFirst(files: string[], durations: Durations): string[] {
  const known = (file: string) => durations[file] ?? Number.POSITIVE_INFINITY;
  return [...files].sort((a, b) => known(b) - known(a) || a.localeCompare(b));
}

export async function runTestFiles(run: TestFilesRun): Promise<FileResult[]> {
  const durations = readDurations(run.durationsFile);
  const queue = slowestFirst(run.files, durations);
  const reporter = process.stdout.isTTY ? 'spec' : 'tap';
  const running = new Set<ChildProcess>();
  const stop = (signal: NodeJS.Signals) => {
    queue.length = 0;
    for (const child of running) child.kill(signal);
  };
  process.on('SIGINT', stop).on('SIGTERM', stop);

  const runOne = (file: string) =>
    new Promise<FileResult>((resolveResult) => {
      const started = Date.now();
      const child = spawn(process.execPath, ['--import', 'tsx', `--test-reporter=${reporter}`, file], {
        cwd: run.cwd,
        env: run.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      running.add(child);
      const output: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
      child.on('close', (code, signal) => {
        running.delete(child);
        const text = Buffer.concat(output).toString();
        const counts = {
          tests: countOf(text, 'tests'),
          pass: countOf(text, 'pass'),
          fail: countOf(text, 'fail'),
        };
        const result = { file, ms: Date.now() - started, ok: code === 0 && !signal, counts };
        process.stdout.write(text);
        run.log(`${result.ok ? 'ok' : 'FAILED'} ${file} in ${(result.ms / 1000).toFixed(1)} s`);
        resolveResult(result);
      });
    });

  const results: FileResult[] = [];
  const lane = async () => {
    for (let file = queue.shift(); file; file = queue.shift()) results.push(await runOne(file));
  };
  await Promise.all(Array.from({ length: Math.max(1, run.concurrency) }, lane));

  for (const r of results) durations[r.file] = r.ms;
  // Written aside, then renamed: runs side by side (worktrees) never read half a file.
  mkdirSync(dirname(run.durationsFile), { recursive: true });
  const written = `${run.durationsFile}.${process.pid}`;
  writeFileSync(written, `${JSON.stringify(durations, null, 1)}\n`);
  renameSync(written, run.durationsFile);
  return results;
}

/** The closing lines: the slowest files, and each file that failed. */
export function summarize(results: FileResult[], wallMs: number, log: (line: string) => void): void {
  const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 10);
  const total = (key: keyof FileResult['counts']) => results.reduce((sum, r) => sum + r.counts[key], 0);
  log(`${total('tests')} tests: ${total('pass')} passed, ${total('fail')} failed`);
  log(`${results.length} files in ${(wallMs / 1000).toFixed(1)} s; the slowest:`);
  for (const r of slowest) log(`  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${r.file}`);
  for (const r of results.filter((f) => !f.ok)) log(`failed: ${r.file}`);
}
