import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedZoomConnections } from '../support/seed-tokens';
import { useTestStack } from '../support/use-test-stack';
import { uniqueName } from '../support/temporal';

const stack = useTestStack();

test(
  'a sweep of 2,000 tokens with 50 ms Zoom latency finishes, in pages, with every token counted once',
  { timeout: 240_000 },
  async () => {
    await seedZoomConnections(stack, 2000, 'scale');
    stack.zoom.faults.add({ route: 'GET /v2/users/me', latencyMs: 50 });
    const summary = await stack.temporal.client.workflow.execute('tokenSweepWorkflow', {
      taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
      workflowId: uniqueName('sweep-scale'),
      args: [
        {
          sweepDate: '2031-03-01',
          settings: { pageSize: 500, concurrency: 100, maxAttempts: 3, pagesPerRun: 2 },
        },
      ],
    });
    stack.zoom.faults.clear();
    assert.equal(summary.validated, 2000);
    assert.equal(summary.valid, 2000);
    assert.equal(summary.pages, 4);
    assert.ok(summary.runs >= 2, 'it continued as new after two pages, carrying its counters');
    assert.equal(summary.sagasStarted, 0, 'valid tokens cost no workflow of their own');
  },
);

test('a page retried after a crash resumes from its heartbeat instead of validating everything again', async () => {
  await stack.database.db('oauth_service_tokens').delete();
  await seedZoomConnections(stack, 5, 'resume');
  const ids = (await stack.container.stores.tokens.listZoomTokens(null, 10)).map((row) => row.id);
  const meCalls = () => stack.zoom.requests.stats().byRoute['GET /v2/users/:userId'] ?? 0;
  const before = meCalls();
  const result = await stack.container.services.tokenSweep.validatePage({
    afterId: null,
    limit: 10,
    concurrency: 2,
    resume: { validIds: ids.slice(0, 3), failing: [] },
  });
  assert.equal(meCalls() - before, 2, 'only the two tokens not yet done');
  assert.equal(result.valid, 5);
});

test('a page read in two parts (its first rounds alone, then the rest) validates each row once and knows its end', async () => {
  await stack.database.db('oauth_service_tokens').delete();
  await seedZoomConnections(stack, 7, 'parts');
  const meCalls = () => stack.zoom.requests.stats().byRoute['GET /v2/users/:userId'] ?? 0;
  const before = meCalls();
  const { validatePage } = stack.container.services.tokenSweep;
  // concurrency 1: two rows first, then up to four more (one of them only to tell the page's end)
  const first = await validatePage({ afterId: null, limit: 5, concurrency: 1 });
  assert.deepEqual([first.processed, first.valid, first.last], [5, 5, false]);
  const second = await validatePage({ afterId: first.lastId, limit: 5, concurrency: 1 });
  assert.deepEqual([second.processed, second.valid, second.last], [2, 2, true]);
  // a page that fits its first read whole, with the row that tells another page follows
  const whole = await validatePage({ afterId: null, limit: 3, concurrency: 2 });
  assert.deepEqual([whole.processed, whole.last], [3, false]);
  assert.equal(meCalls() - before, 10, 'each listed row of a page validated once, the extra row never');
});
