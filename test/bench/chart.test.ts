import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderChart } from '../../bench/lib/report';
import type { Figure } from '../../bench/lib/report';

test('the chart draws every higher-is-better ratio on a log scale, with its value, and leaves out the CPU comparison', async () => {
  const figures: Figure[] = [
    { group: 'sweep N=2000', name: 'c=100: fraction of the limit', value: 0.8, unit: '×' },
    { group: 'sweep N=2000', name: 'c=100: speedup over the loop', value: 90.14, unit: '×' },
    {
      group: 'burst',
      name: 'lessons ready per second',
      value: 40,
      unit: '/s',
      reference: { name: 'empty workflows /s', value: 85 },
      goal: { description: '≥ 0.6 of the ceiling', met: false },
    },
    {
      group: 'burst',
      name: 'machine CPU per lesson',
      value: 45,
      unit: 'ms',
      reference: { name: 'per empty workflow', value: 18 },
    },
  ];
  const svg = await renderChart(figures);
  assert.match(svg, /^<svg/);
  assert.match(svg, /log scale/);
  for (const label of ['0.80', '90.14', '0.47'])
    assert.ok(svg.includes(`>${label}<`), `value ${label} shown`);
  assert.ok(svg.includes('lessons ready per second'));
  assert.ok(
    !svg.includes('machine CPU per lesson'),
    'lower-is-better ratios are not drawn as higher-is-better',
  );
  assert.ok(svg.includes('#c53030'), 'a goal not met is red');
});
