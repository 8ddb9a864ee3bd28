import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ratio } from '../../bench/lib/report';
import { webhookRatioFigure } from '../../bench/webhooks';

const run = (average: number, non2xx = 0) => ({ average, non2xx, errors: 0 });

test('the webhook figure is the API’s mean rate over the bare route’s, held to ≥ 0.5', () => {
  const met = webhookRatioFigure([
    [run(4000), 'bare'],
    [run(2400), 'api'],
    [run(2200), 'api'],
    [run(3600), 'bare'],
  ]);
  assert.equal(met.value, 2300);
  assert.deepEqual(met.reference, { name: 'bare Koa route, same process', value: 3800 });
  assert.equal(ratio(met)?.toFixed(3), '0.605');
  assert.equal(met.goal?.met, true);

  const missed = webhookRatioFigure([
    [run(4000), 'bare'],
    [run(1900, 3), 'api'],
  ]);
  assert.equal(missed.goal?.met, false, '0.475 of the bare route');
  assert.match(missed.notes ?? '', /API: non-2xx 3/);
});
