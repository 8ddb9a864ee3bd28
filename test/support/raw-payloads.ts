import { randomUUID } from 'node:crypto';
import type { temporal } from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import type { TestTemporal } from './temporal';

/**
 * Payloads as any SDK or a hand-written client may send them, bypassing the data converter: the
 * lesson workflow must take each without failing a workflow task.
 */
type Payload = temporal.api.common.v1.IPayload;
const bytes = (text: string) => new TextEncoder().encode(text);

export const rawPayloads = {
  json: (value: unknown): Payload => ({
    metadata: { encoding: bytes('json/plain') },
    data: bytes(JSON.stringify(value)),
  }),
  badJson: (): Payload => ({
    metadata: { encoding: bytes('json/plain') },
    data: bytes('{"startsAt": "2030-'),
  }),
  unknownEncoding: (): Payload => ({ metadata: { encoding: bytes('text/x-made-up') }, data: bytes('hello') }),
  noEncoding: (): Payload => ({ metadata: {}, data: bytes('{}') }),
  binary: (): Payload => ({ metadata: { encoding: bytes('binary/plain') }, data: bytes('\u0001\u0002') }),
};

/** The undecodable ones, by name. */
export const undecodablePayloads = {
  'bad JSON': rawPayloads.badJson,
  'an unknown encoding': rawPayloads.unknownEncoding,
  'no encoding': rawPayloads.noEncoding,
};

/** Sends a signal with these payloads as its arguments, straight through the gRPC service. */
export async function sendRawSignal(
  t: TestTemporal,
  handle: WorkflowHandle,
  signalName: string,
  payloads: Payload[],
): Promise<void> {
  await t.client.workflowService.signalWorkflowExecution({
    namespace: t.namespace,
    workflowExecution: { workflowId: handle.workflowId },
    signalName,
    input: { payloads },
    identity: 'raw-payload-test',
    requestId: randomUUID(),
  });
}

/** The workflow tasks that failed in a run's history (none, ever, for input). */
export async function failedWorkflowTasks(handle: WorkflowHandle): Promise<number> {
  const { events } = await handle.fetchHistory();
  const failed = proto.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED;
  return (events ?? []).filter((e) => e.eventType === failed).length;
}
