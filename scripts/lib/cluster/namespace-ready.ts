import { Connection } from '@temporalio/client';
import { customSearchAttributes } from '../../../src/temporal/search-attributes';

/**
 * Waits until the frontend's namespace cache holds the namespace with our search attributes (it
 * refreshes every few seconds): a query on one of them is refused until then, and so would a
 * worker's first workflow be.
 */
export async function waitForNamespace(
  address: string,
  namespace: string,
  timeoutMs = 60_000,
): Promise<void> {
  const connection = await Connection.connect({ address });
  const deadline = Date.now() + timeoutMs;
  const attribute = customSearchAttributes[0].name;
  try {
    for (;;) {
      try {
        await connection.workflowService.countWorkflowExecutions({
          namespace,
          query: `${attribute} = 'probe'`,
        });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`namespace ${namespace} not ready: ${String(error)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await connection.close();
  }
}
