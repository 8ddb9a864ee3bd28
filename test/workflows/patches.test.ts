import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { PATCHES, type Patch } from '../../src/workflows/patches';
import { workflowBundle } from '../support/temporal';

const testDir = join(__dirname, '..');
const patches: readonly Patch[] = PATCHES;

interface SavedMarkerEvent {
  markerRecordedEventAttributes?: {
    markerName?: string;
    details?: Record<string, { payloads?: Array<{ data?: string }> }>;
  };
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
    const history = temporal.api.history.v1.History.fromObject(
      JSON.parse(readFileSync(join(testDir, patch.historyBefore), 'utf8')),
    );
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName: patch.id }, history);
  }
});

test('every patch a saved history records is on the list (patched() is called only through isPatched)', () => {
  const listed = new Set(patches.map((p) => p.id));
  for (const file of savedHistories()) {
    const { events } = JSON.parse(readFileSync(file, 'utf8')) as { events: SavedMarkerEvent[] };
    for (const event of events) {
      const marker = event.markerRecordedEventAttributes;
      if (marker?.markerName !== 'core_patch') continue;
      const data = marker.details?.patch_id?.payloads?.[0]?.data ?? '';
      const id = JSON.parse(Buffer.from(data, 'base64').toString()) as string;
      assert.ok(listed.has(id), `${file}: patch ${id} is not in src/workflows/patches.ts`);
    }
  }
});
