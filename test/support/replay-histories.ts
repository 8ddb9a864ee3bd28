import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// Built with fromObject rather than the SDK's historyFromJSON, which trips over the two protobufjs
// copies npm installs side by side here.
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { serviceDataConverter } from '../../src/temporal/data-converter';
import { workflowBundle } from './temporal';
import { testPayloadEncryption } from './payload-key';

/** Saved histories keep the payload key they were recorded with beside them. */
export const HISTORY_KEY_FILE = 'payload-encryption-key.txt';

/** The codec for a histories folder: its own key, else the suite's (older histories pass through). */
function historiesDataConverter(dir: string) {
  const keyFile = join(dir, HISTORY_KEY_FILE);
  if (!existsSync(keyFile)) return serviceDataConverter(testPayloadEncryption);
  return serviceDataConverter({
    PAYLOAD_ENCRYPTION_KEY: readFileSync(keyFile, 'utf8').trim(),
    PAYLOAD_ENCRYPTION_OLD_KEYS: [],
  });
}

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
