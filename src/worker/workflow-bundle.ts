import type { BundleOptions } from '@temporalio/worker';
import { workflowConverterPaths } from '../temporal/data-converter';

/**
 * The workers' workflow code, bundled once (about 2 s of CPU) with this service's converters: the
 * build, the test runner, the test helpers, the cluster and the drills all bundle through here.
 */
export async function bundleServiceWorkflows(logger?: BundleOptions['logger']): Promise<{ code: string }> {
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    ...workflowConverterPaths,
    logger,
  });
}
