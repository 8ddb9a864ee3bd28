import { startWorkerChild } from '../../scripts/lib/child-process';
import { buildService, scratchBuildDir, type ServiceBuild } from '../../scripts/lib/build-service';
import { clusterWorkerPid, type BenchStack } from './bench-stack';

let build: Promise<ServiceBuild> | undefined;

/**
 * Runs `work` while the stack's only worker is a process of its own, run as the image runs it:
 * compiled JavaScript with a prebuilt workflow bundle. The emulators and the API stay in this
 * process and do not share its CPU thread. On a cluster its own workers serve (`pid`: the first).
 */
export async function withWorkerProcess<T>(
  stack: BenchStack,
  settings: Record<string, string>,
  work: (pid: number) => Promise<T>,
): Promise<T> {
  if (stack.cluster) return work(clusterWorkerPid(stack.cluster));
  build ??= buildService(scratchBuildDir('bench-build'));
  const { entry, workflowBundlePath } = await build;
  await stack.stopWorker();
  const worker = await startWorkerChild(
    { ...stack.rawEnv, WORKFLOW_BUNDLE_PATH: workflowBundlePath, ...settings },
    entry('worker'),
  );
  // Keep the pipes drained: a full pipe would block the worker's logging.
  worker.child.stdout?.resume();
  worker.child.stderr?.resume();
  try {
    return await work(worker.child.pid as number);
  } finally {
    await worker.stop();
    await stack.startWorker();
  }
}
