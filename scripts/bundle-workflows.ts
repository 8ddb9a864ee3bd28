import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

/** Builds the workflow bundle once (images run this at build time); the worker loads it via WORKFLOW_BUNDLE_PATH. */
async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? 'dist/workflow-bundle.js');
  const { code } = await bundleWorkflowCode({
    workflowsPath: resolve(__dirname, '../src/workflows/index.ts'),
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`Workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
