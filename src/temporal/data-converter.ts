import type { DataConverter } from '@temporalio/common';

/**
 * How this service's payloads are converted, in one place: workers, clients and every workflow
 * bundle take it from here, so that none of them disagrees with the others.
 */

/** The converter modules bundled into the workflow code: `bundleWorkflowCode` takes these. */
export const workflowConverterPaths = {
  payloadConverterPath: require.resolve('./payload-converter'),
};

/** For `Worker.create`, `new Client` and `Worker.runReplayHistories`. */
export const dataConverter: DataConverter = { ...workflowConverterPaths };
