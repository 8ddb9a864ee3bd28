import { resolve } from 'node:path';
import type { RunningCluster } from '../../scripts/lib/cluster/start-cluster';
import { startTestStack, type TestStack } from '../../test/support/stack';
import { startClusterStack } from './cluster-stack';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

/**
 * One drill's service: the test stack (emulators, a fresh database, the API, all in this
 * process) with its workers in child processes, so they can be killed.
 */
export interface DrillStack {
  stack: TestStack;
  /** Where bookings go: the stack's own API, or the cluster's APIs. */
  apiUrls: string[];
  /** On a cluster (`--cluster`): its processes, which the drill kills and restarts. */
  cluster?: RunningCluster;
  workers: WorkerProcess[];
  startWorker(): Promise<WorkerProcess>;
  /** Unexpected worker exits so far, across workers. */
  crashes(): string[];
  close(): Promise<void>;
}

/** Client timeouts short enough that an injected hang costs seconds, not minutes. */
const DRILL_ENV: Record<string, string> = {
  LOG_LEVEL: 'warn',
  ZOOM_TIMEOUT_MS: '3000',
  DAILY_TIMEOUT_MS: '3000',
  SENDGRID_TIMEOUT_MS: '3000',
  // The emulator posts its events at once, so a send lost before SendGrid saw it is known within
  // seconds; waiting 15 s for an event before sending again keeps the drills short.
  SENDGRID_EVENT_GRACE_SECONDS: '15',
};

/** Where the worker processes' output goes: one file per drill and worker, kept after the run. */
const LOG_DIR = resolve(__dirname, '../results/logs');

export async function startDrillStack(
  name: string,
  log: (line: string) => void,
  env: Record<string, string> = {},
): Promise<DrillStack> {
  const stack = await startTestStack({ worker: false, env: { ...DRILL_ENV, ...env } });
  const workerEnv = {
    ...stack.rawEnv,
    WORKFLOW_BUNDLE_PATH: process.env.WORKFLOW_BUNDLE_PATH ?? '',
  };
  const workers: WorkerProcess[] = [];
  return {
    stack,
    apiUrls: [stack.api.url],
    workers,
    async startWorker() {
      const n = workers.length + 1;
      const worker = await startWorkerProcess(
        `worker ${n}`,
        workerEnv,
        `${LOG_DIR}/${name}-worker-${n}.log`,
        log,
      );
      workers.push(worker);
      return worker;
    },
    crashes: () => workers.flatMap((w) => w.crashes),
    async close() {
      await Promise.all(workers.map((w) => w.stop()));
      await stack.close();
    },
  };
}

/** A drill's stack on the production topology: the cluster's workers and APIs serve it. */
export async function startClusterDrillStack(
  name: string,
  log: (line: string) => void,
  size: { workers: number; apis: number },
  env: Record<string, string> = {},
): Promise<DrillStack> {
  const { stack, cluster, close } = await startClusterStack({
    ...size,
    env: { ...DRILL_ENV, ...env },
    keepLogsIn: `${LOG_DIR}/${name}-cluster`,
    log,
  });
  return {
    stack,
    apiUrls: cluster.urls.apis,
    cluster,
    workers: [],
    startWorker: () => Promise.reject(new Error("a cluster drill uses the cluster's workers")),
    crashes: () => [],
    close,
  };
}
