import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorkerChild } from '../../scripts/lib/child-process';
import type { TestStack } from '../../test/support/stack';
import { workflowBundle } from '../../test/support/temporal';

let bundlePath: string | undefined;

/**
 * Runs `work` while the stack's only worker is `npm run worker` in a process of its own, as in
 * production: the emulators and the API stay in this process and do not share its CPU thread.
 */
export async function withWorkerProcess<T>(
  stack: TestStack,
  settings: Record<string, string>,
  work: (pid: number) => Promise<T>,
): Promise<T> {
  if (!bundlePath) {
    // As in the image: a prebuilt bundle, not webpack inside the worker.
    bundlePath = join(mkdtempSync(join(tmpdir(), 'bench-bundle-')), 'workflows.js');
    writeFileSync(bundlePath, (await workflowBundle()).code);
  }
  await stack.stopWorker();
  const worker = await startWorkerChild({ ...stack.rawEnv, WORKFLOW_BUNDLE_PATH: bundlePath, ...settings });
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
