import type { Payload } from '@temporalio/common';
import { z } from 'zod';

/** A payload as Temporal's remote codec protocol carries it: proto3 JSON, bytes in base64. */
const jsonPayload = z.object({
  metadata: z.record(z.string(), z.base64()).optional(),
  data: z.base64().optional(),
});
// Protobuf's JSON omits an empty list: the CLI sends `{}` for a signal without input.
export const codecRequestBody = z.object({ payloads: z.array(jsonPayload).default([]) });
type JsonPayload = z.infer<typeof jsonPayload>;

export function payloadFromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata:
      metadata && Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: data === undefined ? undefined : Buffer.from(data, 'base64'),
  };
}

const base64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export function payloadToJson({ metadata, data }: Payload): JsonPayload {
  return {
    metadata: metadata
      ? Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, base64(v)]))
      : undefined,
    data: data ? base64(data) : undefined,
  };
}
