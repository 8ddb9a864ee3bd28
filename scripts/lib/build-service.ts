import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { bundleServiceWorkflows } from '../../src/worker/workflow-bundle';

const root = resolve(__dirname, '../..');

/** What production runs: src compiled to JavaScript, and the workflow bundle the worker loads. */
export interface ServiceBuild {
  outDir: string;
  entry(name: 'worker' | 'api' | 'setup' | 'ops'): string;
  workflowBundlePath: string;
}

const ENTRIES = {
  worker: 'worker.js',
  api: 'api/server.js',
  setup: 'db/setup-cli.js',
  ops: 'ops/cli.js',
} as const;

/**
 * Compiles src with tsc into `outDir` (emptied first, so no stale file survives) and bundles the
 * workflows beside it once, so that no worker runs webpack or a TypeScript loader at start.
 */
export async function buildService(
  outDir: string,
  log: (message: string) => void = () => {},
): Promise<ServiceBuild> {
  const out = resolve(outDir);
  rmSync(out, { recursive: true, force: true });
  await promisify(execFile)(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', out],
    { cwd: root },
  );
  const workflowBundlePath = join(out, 'workflow-bundle.js');
  const { code } = await bundleServiceWorkflows({ problems: log, progress: log });
  writeFileSync(workflowBundlePath, code);
  return { outDir: out, entry: (name) => join(out, ENTRIES[name]), workflowBundlePath };
}

/**
 * A scratch `dist` laid out as in the image (/app/dist beside /app/node_modules), so that the
 * compiled files resolve their dependencies.
 */
export function scratchBuildDir(purpose: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${purpose}-`));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return join(dir, 'dist');
}
