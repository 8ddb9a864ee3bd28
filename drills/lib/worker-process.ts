import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { startWorkerChild, type Started } from '../../scripts/lib/child-process';

/**
 * `npm run worker` as a child process, so a drill can kill it with SIGKILL. When it exits
 * without being told to, it is restarted as a process supervisor would, and the exit is noted:
 * that is a finding, not a hidden retry.
 */
export interface WorkerProcess {
  name: string;
  pid(): number | undefined;
  /** kill -9, and wait until it has gone. No restart follows. */
  kill9(): Promise<void>;
  /** Starts it again after a kill. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Exits nobody asked for, with the tail of the output. */
  crashes: string[];
  /** Total start-up time of every start, for the notes. */
  startMs: number[];
}

const TAIL_CHARS = 3000;

export async function startWorkerProcess(
  name: string,
  env: Record<string, string>,
  logFile: string,
  onCrash: (line: string) => void = () => undefined,
): Promise<WorkerProcess> {
  mkdirSync(dirname(logFile), { recursive: true });
  const logStream = createWriteStream(logFile);
  let current: Started | undefined;
  let expectingExit = false;
  let tail = '';

  const launch = async (): Promise<void> => {
    const started = performance.now();
    const running = await startWorkerChild(env);
    handle.startMs.push(performance.now() - started);
    current = running;
    expectingExit = false;
    logStream.write(`--- started pid ${running.child.pid} at ${new Date().toISOString()}\n`);
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString()).slice(-TAIL_CHARS);
      logStream.write(chunk);
    };
    running.child.stdout?.on('data', keep);
    running.child.stderr?.on('data', keep);
    running.child.once('exit', (code, signal) => {
      if (expectingExit || current !== running) return;
      const line = `${name} exited unasked (code ${code}, signal ${signal}); restarted. Output: ${tail.trim().slice(-600)}`;
      handle.crashes.push(line);
      onCrash(line);
      current = undefined;
      launch().catch((error: unknown) => onCrash(`${name} could not restart: ${String(error)}`));
    });
  };

  const stopCurrent = async (): Promise<void> => {
    expectingExit = true;
    const running = current;
    current = undefined;
    await running?.stop();
  };

  const handle: WorkerProcess = {
    name,
    crashes: [],
    startMs: [],
    pid: () => current?.child.pid,
    async kill9() {
      const child = current?.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      expectingExit = true;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGKILL');
      await exited;
      current = undefined;
    },
    async restart() {
      await stopCurrent();
      await launch();
    },
    async stop() {
      await stopCurrent();
      logStream.end();
    },
  };
  await launch();
  return handle;
}
