import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { replaySavedHistories } from '../support/replay-histories';

// Recorded with test/token-sweep/record-histories.ts, each by the code of its day.
test('saved sweep and saga histories replay through the current workflow code', async () => {
  const results = await replaySavedHistories(join(__dirname, 'histories'), 'validation-histories');
  assert.ok(results.size > 0);
  for (const [file, error] of results) assert.equal(error, undefined, `${file}: ${String(error)}`);
});
