import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { customSearchAttributes } from './search-attributes';

const GRPC_ALREADY_EXISTS = 6;

function isGrpcCode(error: unknown, code: number): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/**
 * Makes sure the namespace exists and carries our search attributes. Safe to run any number of
 * times and from several processes at once: "already exists" answers count as success.
 */
export async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('7 days'),
      });
    } catch (error) {
      if (!isGrpcCode(error, GRPC_ALREADY_EXISTS)) throw error;
    }
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = customSearchAttributes.filter((key) => !(key.name in (existing.customAttributes ?? {})));
    if (missing.length === 0) return;
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(
          missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type) ?? 0]),
        ),
      });
    } catch (error) {
      if (!isGrpcCode(error, GRPC_ALREADY_EXISTS)) throw error;
    }
  } finally {
    await connection.close();
  }
}
