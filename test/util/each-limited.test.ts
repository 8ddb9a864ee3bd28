import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eachLimited } from '../../src/util/each-limited';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

test('items that come later run after the first ones, never more than the limit at once', async () => {
  const done: number[] = [];
  let running = 0;
  let most = 0;
  const later = new Promise<number[]>((resolve) => setTimeout(() => resolve([4, 5, 6, 7, 8]), 5));
  await eachLimited(
    [1, 2, 3],
    2,
    async (n) => {
      most = Math.max(most, ++running);
      await tick();
      done.push(n);
      running--;
    },
    later,
  );
  assert.deepEqual([...done].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(most, 2);
});

test('no first items: the lanes wait for the later ones; a failed later fails the whole, once the lanes run dry', async () => {
  const seen: number[] = [];
  await eachLimited([], 3, async (n) => void seen.push(n), Promise.resolve([1, 2]));
  assert.deepEqual(seen, [1, 2]);
  const failing = Promise.reject(new Error('listing failed'));
  await assert.rejects(eachLimited([1], 2, tick, failing), /listing failed/);
});
