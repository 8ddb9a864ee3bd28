import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (failureConverterPath) in workflow bundles and clients alike. Failure messages and
 * stack traces move into an encoded attributes payload, so that the payload codec encrypts them:
 * a failed lesson's error may name its people.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
