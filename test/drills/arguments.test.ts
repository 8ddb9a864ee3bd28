import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDrillArguments } from '../../drills/lib/arguments';
import { CLUSTER_FULL, CLUSTER_QUICK, FULL, QUICK } from '../../drills/lib/runner';
import type { Drill } from '../../drills/lib/types';

const drill = (name: string): Drill => ({
  name,
  title: name,
  run: () => Promise.reject(new Error('not run here')),
});
const lists = {
  dev: [drill('baseline'), drill('kill-burst')],
  cluster: [drill('cluster-a'), drill('cluster-b')],
};
const names = (drills: Drill[]): string[] => drills.map((d) => d.name);

test('without --cluster: every dev-server drill, at the full or quick sizes', () => {
  const full = parseDrillArguments([], lists);
  assert.equal(full.cluster, false);
  assert.deepEqual(names(full.drills), ['baseline', 'kill-burst']);
  assert.deepEqual(full.options, FULL);
  assert.deepEqual(parseDrillArguments(['--quick'], lists).options, QUICK);
});

test('--cluster: the cluster drills only, at the smaller cluster sizes', () => {
  const run = parseDrillArguments(['--cluster'], lists);
  assert.equal(run.cluster, true);
  assert.deepEqual(names(run.drills), ['cluster-a', 'cluster-b']);
  assert.deepEqual(run.options, CLUSTER_FULL);
  assert.ok(CLUSTER_FULL.lessons < FULL.lessons && CLUSTER_FULL.tokens < FULL.tokens);
  assert.deepEqual(parseDrillArguments(['--quick', '--cluster'], lists).options, CLUSTER_QUICK);
});

test('--lessons and --tokens override the sizes; --only picks drills by name, in list order', () => {
  const run = parseDrillArguments(
    ['--cluster', '--lessons', '120', '--only', 'cluster-b,cluster-a', '--tokens', '250'],
    lists,
  );
  assert.equal(run.options.lessons, 120);
  assert.equal(run.options.tokens, 250);
  assert.deepEqual(names(run.drills), ['cluster-a', 'cluster-b']);
});

test('a name from the other list, an unknown name or a bad size is refused, naming what exists', () => {
  assert.throws(
    () => parseDrillArguments(['--cluster', '--only', 'kill-burst'], lists),
    /cluster-a, cluster-b/,
  );
  assert.throws(() => parseDrillArguments(['--only', 'baseline,nope'], lists), /no drill named nope/);
  assert.throws(() => parseDrillArguments(['--lessons', 'many'], lists), /--lessons takes a positive/);
  assert.throws(() => parseDrillArguments(['--tokens', '0'], lists), /--tokens takes a positive/);
});
