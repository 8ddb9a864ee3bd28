import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { replaySavedHistories } from '../support/replay-histories';

const dir = join(__dirname, 'histories');

test('saved deauthorization histories replay through the current workflow code', async () => {
  assert.ok(readdirSync(dir).some((f) => f.endsWith('.json')));
  for (const [file, error] of await replaySavedHistories(dir, 'deauthorization-histories'))
    assert.equal(error, undefined, `${file}: ${String(error)}`);
});
