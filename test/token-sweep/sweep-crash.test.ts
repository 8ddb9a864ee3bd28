import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createTokenSweepActivities } from '../../src/activities/token-sweep';
import type { PageResult } from '../../src/services/token-sweep/token-sweep';
import { seedZoomConnections } from '../support/seed-tokens';
import { useTestStack } from '../support/use-test-stack';
import { randomDay, uniqueName } from '../support/temporal';

const stack = useTestStack();

test('a retried page resumes from its heartbeat: what the last attempt checked is not checked again', async () => {
  const before = await stack.database.db('oauth_service_tokens').max('id as id').first();
  const tutors = await seedZoomConnections(stack, 6, 'resume');
  const { tokens } = stack.container.stores;
  const rows = await Promise.all(tutors.map(async (tutorId) => (await tokens.findByUser(tutorId))!));
  const done = { validIds: rows.slice(0, 2).map((r) => r.id), failing: [] };
  const activities = createTokenSweepActivities({
    sweep: stack.container.services.tokenSweep,
  });
  const retry = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: { done, attempt: 1 } });
  const calls = () => stack.zoom.requests.count({ method: 'GET', path: '/v2/users/me' });
  const callsBefore = calls();
  const page: PageResult = await retry.run(activities.validateTokenPage, {
    afterId: before?.id ? String(before.id) : null,
    limit: 6,
    concurrency: 2,
  });
  assert.equal(calls() - callsBefore, 4, 'only the tokens the first attempt had not reached');
  assert.deepEqual([page.processed, page.valid, page.failing.length], [6, 6, 0]);
});

test(
  'a worker killed mid-sweep and restarted gives no double email and no double count',
  {
    timeout: 120_000,
  },
  async () => {
    const day = randomDay();
    const tutors = await seedZoomConnections(stack, 30, 'crash');
    for (const tutorId of tutors.slice(0, 10)) {
      const row = await stack.container.stores.tokens.findByUser(tutorId);
      stack.zoom.revokeToken(row!.accessToken);
      await stack.database
        .db('oauth_service_tokens')
        .where({ user_id: tutorId })
        .update({ expires_at: new Date(0) });
      stack.zoom.revokeToken(row!.refreshToken);
    }
    stack.zoom.faults.add({ route: 'GET /v2/users/me', latencyMs: 300 });
    const handle = await stack.temporal.client.workflow.start('tokenSweepWorkflow', {
      taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
      workflowId: uniqueName('sweep-crash'),
      args: [{ sweepDate: day, settings: { pageSize: 10, concurrency: 2, maxAttempts: 3 } }],
    });
    await new Promise((r) => setTimeout(r, 1200));
    await stack.stopWorker();
    await stack.startWorker();
    const summary = await handle.result();
    stack.zoom.faults.clear();
    assert.ok(summary.validated >= 30);
    // The sagas outlive the sweep (parent close policy ABANDON): wait for each before counting.
    for (const tutorId of tutors.slice(0, 10)) {
      const row = await stack.database.db('oauth_service_tokens').where({ user_id: tutorId }).first('id');
      await stack.temporal.client.workflow.getHandle(`zoom-reconnection/${row.id}/${day}`).result();
    }
    const crashed = await stack.database
      .db('oauth_service_tokens')
      .whereIn('user_id', tutors.slice(0, 10))
      .select('reconnection_attempts');
    assert.deepEqual(
      crashed.map((r) => r.reconnection_attempts),
      Array(10).fill(1),
      'each failing token counted once',
    );
    const mails = stack.sendgrid.outbox().filter((m) => m.categories.includes('ReconnectZoom'));
    assert.equal(mails.length, 10, 'one ReconnectZoom email each');
  },
);
