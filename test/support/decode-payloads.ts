import type { Payload } from '@temporalio/common';
import { servicePayloadCodec } from '../../src/temporal/data-converter';
import { testPayloadEncryption } from './payload-key';

const testCodec = servicePayloadCodec(testPayloadEncryption);

const isPayload = (value: object): value is Payload => {
  const metadata = (value as { metadata?: Record<string, unknown> }).metadata;
  return !!metadata && typeof metadata === 'object' && metadata.encoding instanceof Uint8Array;
};

/**
 * A copy of a history (or any part of one) with every payload decoded by the suite's codec, as an
 * operator reads it through the codec server. Nested payloads (a failure's attributes) too.
 */
export async function decodedDeep<T>(value: T, codec = testCodec): Promise<T> {
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return (await Promise.all(value.map((v) => decodedDeep(v, codec)))) as T;
  const source = isPayload(value) ? (await codec.decode([value]))[0] : value;
  const entries = await Promise.all(
    Object.entries(source as object).map(async ([k, v]) => [k, await decodedDeep(v, codec)] as const),
  );
  return Object.fromEntries(entries) as T;
}

/** The text of one payload (a history event's input, a marker's details), decoded. */
export async function payloadText(payload: Payload | null | undefined): Promise<string> {
  if (!payload) return '';
  const [decoded] = await testCodec.decode([payload]);
  return Buffer.from(decoded?.data ?? []).toString();
}
