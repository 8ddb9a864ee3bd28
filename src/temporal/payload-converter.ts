import { defaultPayloadConverter, type Payload, type PayloadConverter } from '@temporalio/common';

/**
 * The SDK's default converter, except that decoding never throws. Workflow code cannot catch a
 * payload that fails to decode (bad JSON, an `encoding` nobody knows): the SDK decodes a signal's
 * arguments before any handler runs, and its error fails the workflow task, again and again. Here
 * such a payload decodes to a marker string instead, which every input schema refuses (they all
 * want an object), so that the handler drops it like any other invalid input.
 *
 * Bundled into the workflow code: it imports nothing but @temporalio/common.
 */
const UNDECODABLE = 'undecodable payload: ';

export const isUndecodable = (value: unknown): value is string =>
  typeof value === 'string' && value.startsWith(UNDECODABLE);

function encodingOf(payload: Payload): string {
  const encoding = payload.metadata?.encoding;
  if (!encoding) return 'none';
  // The metadata is bytes; an encoding nobody knows is shown as far as it is readable text.
  return Array.from(encoding.subarray(0, 40), (b) =>
    b >= 32 && b < 127 ? String.fromCharCode(b) : '?',
  ).join('');
}

class TolerantPayloadConverter implements PayloadConverter {
  toPayload<T>(value: T): Payload {
    return defaultPayloadConverter.toPayload(value);
  }

  fromPayload<T>(payload: Payload): T {
    try {
      return defaultPayloadConverter.fromPayload(payload);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return `${UNDECODABLE}${reason.slice(0, 200)} (encoding ${encodingOf(payload)})` as T;
    }
  }
}

/** The name the SDK looks for in a `payloadConverterPath` module. */
export const payloadConverter: PayloadConverter = new TolerantPayloadConverter();
