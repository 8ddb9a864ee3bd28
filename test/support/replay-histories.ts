import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// Built with fromObject rather than the SDK's historyFromJSON, which trips over the two protobufjs
// copies npm installs side by side here.
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { dataConverter } from '../../src/temporal/data-converter';
import { workflowBundle } from './temporal';

/** Replays every saved history (*.json) in `dir` through the current workflow code: file → error, if any. */
export async function replaySavedHistories(dir: string, replayName: string): Promise<Map<string, unknown>> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  const histories = files.map((file) => ({
    workflowId: file,
    history: temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8'))),
  }));
  const results = new Map<string, unknown>();
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: await workflowBundle(), dataConverter, replayName },
    histories,
  )) {
    results.set(result.workflowId, result.error);
  }
  return results;
}
