import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Figure } from '../../bench/lib/report';
import { labelled, renderSideBySide } from '../../bench/lib/side-by-side';

const figure = (group: string, name: string, value: number, over: Partial<Figure> = {}): Figure => ({
  group,
  name,
  value,
  unit: 'ms',
  ...over,
});

test('one row per figure, one column per target, a dash where a target has no such figure', () => {
  const table = renderSideBySide([
    {
      label: 'dev server',
      figures: [
        figure('reschedule', 'p99 HTTP → provider', 120.4, { goal: { description: '≤ 500 ms', met: true } }),
        figure('sweep N=20000', 'c=100: fraction of the limit', 0.81, { unit: '×' }),
        figure('steady booking → ready', 'p99 booking → meeting shown', 900),
      ],
    },
    {
      label: 'cluster',
      figures: [
        figure('steady booking → ready', 'p99 booking → meeting shown', 1450.6, {
          goal: { description: '≤ 1 s', met: false },
        }),
        figure('reschedule', 'p99 HTTP → provider', 230),
      ],
    },
  ]);
  const lines = table.split('\n');
  assert.match(lines[0] ?? '', /\| group +\| figure +\| dev server +\| cluster +\| goal +\|/);
  assert.equal(lines.length, 2 + 3, 'a header, its rule and three figures');
  // Rows in the order the figures first appear; each value under its own target.
  assert.match(lines[2] ?? '', /reschedule +\| p99 HTTP → provider +\| 120 ms +\| 230 ms +\| ≤ 500 ms/);
  assert.match(lines[3] ?? '', /sweep N=20000 .*\| 0\.81 × +\| – +\|/);
  assert.match(lines[4] ?? '', /steady booking → ready .*\| 900 ms +\| 1451 ms \(goal NO\) +\|/);
});

test('labelled: a target figures under group names of their own, for the one JSON and chart', () => {
  const [only] = labelled({ label: 'cluster', figures: [figure('reschedule', 'p50', 10)] });
  assert.equal(only?.group, 'reschedule (cluster)');
  assert.equal(only?.name, 'p50');
  assert.equal(only?.value, 10);
});
