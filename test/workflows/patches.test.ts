import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { defaultPayloadConverter, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { servicePayloadCodec } from '../../src/temporal/data-converter';
import { PATCHES, type Patch } from '../../src/workflows/patches';
import { testPayloadEncryption } from '../support/payload-key';
import { historiesPayloadCodec } from '../support/replay-histories';
import { workflowBundle } from '../support/temporal';

const testDir = join(__dirname, '..');
const patches: readonly Patch[] = PATCHES;

const { History } = temporal.api.history.v1;

/** A saved history file, as the replay tests read it. */
const readHistory = (file: string) =>
  History.fromObject(JSON.parse(readFileSync(file, 'utf8'))) as temporal.api.history.v1.History;

/** The patch ids a history's markers record, each marker's payload decoded (histories are encrypted). */
async function recordedPatchIds(history: temporal.api.history.v1.IHistory, codec: PayloadCodec) {
  const ids: string[] = [];
  for (const event of history.events ?? []) {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') continue;
    const [payload] = await codec.decode(marker.details?.patch_id?.payloads ?? []);
    ids.push(payload ? defaultPayloadConverter.fromPayload<string>(payload) : '');
  }
  return ids;
}

/** Every saved history of the suite (test/<area>/histories/*.json). */
function savedHistories(): string[] {
  return readdirSync(testDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => {
      const dir = join(testDir, d.name, 'histories');
      try {
        return readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => join(dir, f));
      } catch {
        return [];
      }
    });
}

test('each patch is listed once, dated, with a history from before it', () => {
  assert.equal(new Set(patches.map((p) => p.id)).size, patches.length);
  for (const patch of patches) {
    assert.match(patch.since, /^\d{4}-\d{2}-\d{2}$/, patch.id);
    assert.ok(
      savedHistories().includes(join(testDir, patch.historyBefore)),
      `${patch.id}: ${patch.historyBefore}`,
    );
  }
});

test('a history recorded before each patch still on the ladder replays through the current code', async () => {
  for (const patch of patches.filter((p) => p.stage === 'patched')) {
    const history = readHistory(join(testDir, patch.historyBefore));
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: patch.id }, history);
  }
});

test('every patch a saved history records is on the list (patched() is called only through isPatched)', async () => {
  const listed = new Set(patches.map((p) => p.id));
  for (const file of savedHistories()) {
    for (const id of await recordedPatchIds(readHistory(file), historiesPayloadCodec(dirname(file))))
      assert.ok(listed.has(id), `${file}: patch ${id} is not in src/workflows/patches.ts`);
  }
});

test("a patch marker is read through the payload codec, as the worker wrote it, from a saved history's JSON", async () => {
  const codec = servicePayloadCodec(testPayloadEncryption);
  const [sealed] = await codec.encode([defaultPayloadConverter.toPayload('some-patch')]);
  const written = History.fromObject({
    events: [
      {
        eventId: 5,
        markerRecordedEventAttributes: {
          markerName: 'core_patch',
          details: { patch_id: { payloads: [sealed] } },
        },
      },
    ],
  });
  const saved = History.fromObject(JSON.parse(JSON.stringify(written.toJSON())));
  assert.doesNotMatch(
    JSON.stringify(saved.toJSON()),
    /some-patch|InNvbWUtcGF0Y2gi/,
    'the marker is encrypted',
  );
  assert.deepEqual(await recordedPatchIds(saved, codec), ['some-patch']);
});
