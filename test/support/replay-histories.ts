import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// Built with fromObject rather than the SDK's historyFromJSON, which trips over the two protobufjs
// copies npm installs side by side here.
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { PayloadCodec } from '@temporalio/common';
import { serviceDataConverter, servicePayloadCodec } from '../../src/temporal/data-converter';
import type { PayloadEncryptionEnv } from '../../src/temporal/env';
import { workflowBundle } from './temporal';
import { testPayloadEncryption } from './payload-key';

/** Saved histories keep the payload key they were recorded with beside them. */
export const HISTORY_KEY_FILE = 'payload-encryption-key.txt';

/** The key of a histories folder: its own, else the suite's (older histories pass through). */
function historiesPayloadKey(dir: string): PayloadEncryptionEnv {
  const keyFile = join(dir, HISTORY_KEY_FILE);
  if (!existsSync(keyFile)) return testPayloadEncryption;
  return { PAYLOAD_ENCRYPTION_KEY: readFileSync(keyFile, 'utf8').trim(), PAYLOAD_ENCRYPTION_OLD_KEYS: [] };
}

/** The codec that reads the payloads of the saved histories in `dir`. */
export const historiesPayloadCodec = (dir: string): PayloadCodec =>
  servicePayloadCodec(historiesPayloadKey(dir));

const historiesDataConverter = (dir: string) => serviceDataConverter(historiesPayloadKey(dir));

/** Replays every saved history (*.json) in `dir` through the current workflow code: file → error, if any. */
export async function replaySavedHistories(dir: string, replayName: string): Promise<Map<string, unknown>> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  const histories = files.map((file) => ({
    workflowId: file,
    history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
  }));
  const results = new Map<string, unknown>();
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: await workflowBundle(), dataConverter: historiesDataConverter(dir), replayName },
    histories,
  )) {
    results.set(result.workflowId, result.error);
  }
  return results;
}
