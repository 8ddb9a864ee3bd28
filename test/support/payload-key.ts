import { serviceDataConverter } from '../../src/temporal/data-converter';
import type { PayloadEncryptionEnv } from '../../src/temporal/env';

/**
 * The suite's payload key, committed on purpose: every test file may share one Temporal server, and
 * a client that lists workflows decodes every memo it sees. Saved histories keep their own copy
 * beside them (histories/payload-encryption-key.txt), so this one may change.
 */
export const TEST_PAYLOAD_ENCRYPTION_KEY = '/kiD+2jT9dgNUNt72Cr7WOU6TOtSjKVxA6huFbuSKNg=';

export const testPayloadEncryption: PayloadEncryptionEnv = {
  PAYLOAD_ENCRYPTION_KEY: TEST_PAYLOAD_ENCRYPTION_KEY,
  PAYLOAD_ENCRYPTION_OLD_KEYS: [],
};

/** What every test client and worker uses, as the service's processes do. */
export const testDataConverter = () => serviceDataConverter(testPayloadEncryption);
