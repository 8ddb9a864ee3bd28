import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { dataConverter } from '../../src/temporal/data-converter';
import { bundleServiceWorkflows } from '../../src/worker/workflow-bundle';

/**
 * Tests keep the SDK quiet except for warnings. Installed on first connect rather than at import,
 * so that a test file can install its own runtime first (the metrics test does).
 */
function installQuietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // this process already installed a runtime
  }
}

/** The Temporal server the runner started (or TEMPORAL_ADDRESS), with a client and a worker connection. */
export interface TestTemporal {
  address: string;
  namespace: string;
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  close(): Promise<void>;
}

export async function connectTestTemporal(): Promise<TestTemporal> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address)
    throw new Error('TEMPORAL_ADDRESS is not set: run the suite with `npm test`, or point it at a server');
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  installQuietRuntime();
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    address,
    namespace,
    client: new Client({ connection, namespace, dataConverter }),
    connection,
    nativeConnection,
    close: async () => {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

let cachedBundle: { code: string } | undefined;

/** The workflow bundle that the runner built once; bundled here when a file runs on its own. */
export async function workflowBundle(): Promise<{ code: string }> {
  if (cachedBundle) return cachedBundle;
  if (process.env.WORKFLOW_BUNDLE_PATH) {
    cachedBundle = { code: readFileSync(process.env.WORKFLOW_BUNDLE_PATH, 'utf8') };
  } else {
    cachedBundle = await bundleServiceWorkflows();
  }
  return cachedBundle;
}

/**
 * A sweep date no other run has used: saga ids carry the token id and the day, and token ids
 * restart at 1 in every test database while a dev server (TEMPORAL_ADDRESS) may outlive runs.
 */
export function randomDay(): string {
  const n = randomBytes(2).readUInt16BE(0);
  return `${2100 + (n % 800)}-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
}
