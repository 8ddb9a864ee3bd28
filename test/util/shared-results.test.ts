import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedResults } from '../../src/util/shared-results';

test('callers at once share one call; the result is kept for the TTL, then made anew', async () => {
  let now = 0;
  let calls = 0;
  const shared = sharedResults<string>({ ttlMs: 1000, maxEntries: 10, now: () => now });
  const make = async () => `url-${++calls}`;
  assert.deepEqual(await Promise.all([shared('a', make), shared('a', make), shared('a', make)]), [
    'url-1',
    'url-1',
    'url-1',
  ]);
  now = 999;
  assert.equal(await shared('a', make), 'url-1');
  assert.equal(await shared('b', make), 'url-2', 'another key is its own call');
  now = 1000;
  assert.equal(await shared('a', make), 'url-3', 'past the TTL');
});

test('a failure is not kept: the next caller tries again', async () => {
  let calls = 0;
  const shared = sharedResults<string>({ ttlMs: 60_000, maxEntries: 10 });
  const flaky = async () => {
    calls += 1;
    if (calls === 1) throw new Error('provider busy');
    return 'ok';
  };
  await assert.rejects(shared('a', flaky), /provider busy/);
  assert.equal(await shared('a', flaky), 'ok');
  assert.equal(calls, 2);
});

test('at most maxEntries keys are kept, the oldest dropped first', async () => {
  let calls = 0;
  const shared = sharedResults<number>({ ttlMs: 60_000, maxEntries: 2 });
  const make = async () => ++calls;
  await shared('a', make);
  await shared('b', make);
  await shared('c', make); // drops 'a'
  assert.equal(await shared('b', make), 2, 'still kept');
  assert.equal(await shared('a', make), 4, 'made anew');
});
