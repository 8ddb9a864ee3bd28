import type { DataConverter, PayloadCodec } from '@temporalio/common';
import type { PayloadEncryptionEnv } from './env';
import { EncryptionCodec, payloadKeyRing } from './payload-codec';

/**
 * How our payloads are written and read, in one place. Converters loaded by path go into every
 * workflow bundle as well as every client and worker: a prebuilt bundle ignores paths given to the
 * worker, so every bundle is made by bundleServiceWorkflows (src/worker/workflow-bundle.ts).
 */
export const workflowConverterPaths = {
  /** Never throws on decode: an undecodable payload reaches the handler as an invalid input. */
  payloadConverterPath: require.resolve('./payload-converter'),
  /** Failures' messages and stacks are encoded too (encodeCommonAttributes). */
  failureConverterPath: require.resolve('./failure-converter'),
};

/** The codec of every payload we write, also behind the codec server (src/api/codec). */
export function servicePayloadCodec(env: PayloadEncryptionEnv): PayloadCodec {
  return new EncryptionCodec(payloadKeyRing(env));
}

/**
 * The data converter of every Client and Worker of the service: converters by path, then the
 * payload codec, which encrypts whatever reaches Temporal's server (inputs, results, signals,
 * updates, queries, memos, and failures' messages and stacks). Headers and search attributes are
 * not encoded: they hold only ids.
 */
export function serviceDataConverter(env: PayloadEncryptionEnv): DataConverter {
  return { ...workflowConverterPaths, payloadCodecs: [servicePayloadCodec(env)] };
}
