import type { Payload } from '@temporalio/common';
import { servicePayloadCodec } from '../../src/temporal/data-converter';
import { testPayloadEncryption } from './payload-key';

const testCodec = servicePayloadCodec(testPayloadEncryption);

const isPayload = (value: object): value is Payload => {
  const metadata = (value as { metadata?: Record<string, unknown> }).metadata;
  return !!metadata && typeof metadata === 'object' && metadata.encoding instanceof Uint8Array;
};

/**
 * A copy of a history (or any part of one) in plain objects, bytes kept as bytes: a protobuf
 * message's own toJSON would turn them into base64, which no text search sees through. Each payload
 * (nested ones too, such as a failure's attributes) goes through `payload` first.
 */
export async function plainDeep<T>(value: T, payload?: (p: Payload) => Promise<Payload>): Promise<T> {
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return (await Promise.all(value.map((v) => plainDeep(v, payload)))) as T;
  const source = payload && isPayload(value) ? await payload(value) : value;
  const entries = await Promise.all(
    Object.entries(source as object).map(async ([k, v]) => [k, await plainDeep(v, payload)] as const),
  );
  return Object.fromEntries(entries) as T;
}

/** plainDeep with every payload decoded by the suite's codec, as an operator reads it through the codec server. */
export const decodedDeep = <T>(value: T): Promise<T> =>
  plainDeep(value, async (p) => (await testCodec.decode([p]))[0] ?? p);

/** The text of one payload (a history event's input, a marker's details), decoded. */
export async function payloadText(payload: Payload | null | undefined): Promise<string> {
  if (!payload) return '';
  const [decoded] = await testCodec.decode([payload]);
  return Buffer.from(decoded?.data ?? []).toString();
}
