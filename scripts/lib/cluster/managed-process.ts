import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { stopChild } from '../child-process';

/**
 * One long-running process of the cluster, which the drills can kill (SIGKILL by default) and
 * restart with the same command, environment and ports. Its output goes to a log file of its own;
 * the last lines are kept for the error when it fails to start.
 */
export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  /** A stdout line that says the process is ready, or a probe that resolves once it is. */
  ready: RegExp | (() => Promise<void>);
  startTimeoutMs?: number;
}

export interface ManagedProcess {
  readonly name: string;
  /** The running child, if any (its pid for the drills). */
  readonly child: ChildProcess | undefined;
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace period. Resolves once it has exited. */
  stop(): Promise<void>;
  /** Sends `signal` (SIGKILL by default) and resolves once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  restart(): Promise<void>;
}

const running = (child: ChildProcess | undefined): child is ChildProcess =>
  !!child && child.exitCode === null && child.signalCode === null;

export function managedProcess(spec: ProcessSpec): ManagedProcess {
  mkdirSync(dirname(spec.logFile), { recursive: true });
  let child: ChildProcess | undefined;
  let log: WriteStream | undefined;
  let tail = '';

  const waitReady = (started: ChildProcess): Promise<void> =>
    new Promise((resolve, reject) => {
      const timeoutMs = spec.startTimeoutMs ?? 120_000;
      const fail = (why: string): void => {
        clearTimeout(timer);
        reject(new Error(`${spec.name} ${why} (log: ${spec.logFile}):\n${tail.trim()}`));
      };
      const timer = setTimeout(() => fail(`did not start in ${timeoutMs} ms`), timeoutMs);
      started.once('exit', (code, signal) => fail(`exited with ${code ?? signal} while starting`));
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      if (spec.ready instanceof RegExp) {
        const pattern = spec.ready;
        let seen = '';
        const onData = (chunk: Buffer): void => {
          seen = (seen + chunk.toString()).slice(-8000);
          if (!pattern.test(seen)) return;
          started.stdout?.off('data', onData);
          done();
        };
        started.stdout?.on('data', onData);
      } else spec.ready().then(done, (error: Error) => fail(error.message));
    });

  const handle: ManagedProcess = {
    name: spec.name,
    get child() {
      return child;
    },
    async start() {
      if (running(child)) return;
      log ??= createWriteStream(spec.logFile, { flags: 'a' });
      log.write(`--- ${new Date().toISOString()} start ${spec.command} ${spec.args.join(' ')}\n`);
      const started = spawn(spec.command, spec.args, {
        cwd: spec.cwd,
        env: spec.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      tail = '';
      for (const stream of [started.stdout, started.stderr])
        stream?.on('data', (chunk: Buffer) => {
          log?.write(chunk);
          tail = (tail + chunk.toString()).slice(-4000);
        });
      try {
        await waitReady(started);
      } catch (error) {
        await stopChild(started);
        throw error;
      }
    },
    async stop() {
      if (running(child)) await stopChild(child, 10_000);
      log?.end();
      log = undefined;
    },
    async kill(signal = 'SIGKILL') {
      if (!running(child)) return;
      const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()));
      child.kill(signal);
      await exited;
    },
    async restart() {
      await handle.stop();
      await handle.start();
    },
  };
  return handle;
}
