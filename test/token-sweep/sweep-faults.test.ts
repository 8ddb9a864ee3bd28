import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { createOpsCommands } from '../../src/ops/commands';
import { scheduleOptions } from '../../src/schedule/token-sweep-schedule';
import { ensureScheduleAtStart } from '../../src/schedule/ensure-at-start';
import { createZoomOAuthClient } from '../../src/providers/zoom/oauth-client';
import { createZoomTokenService } from '../../src/services/zoom-connection/token-service';
import { sweepProgressQuery, type SweepSettings } from '../../src/workflows/definitions/token-sweep';
import { waitFor } from '../lessons/lesson-helpers';
import { seedZoomConnections } from '../support/seed-tokens';
import { useTestStack } from '../support/use-test-stack';
import { randomDay, uniqueName } from '../support/temporal';

const stack = useTestStack();

/** A sweep of today's tokens on pages of 10, pausing 0.5 s per outage unless `settings` say otherwise. */
const sweepOf = (name: string, settings: Partial<SweepSettings> = {}) => ({
  taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
  workflowId: uniqueName(name),
  args: [
    {
      sweepDate: randomDay(),
      settings: { pageSize: 10, concurrency: 5, maxAttempts: 3, outagePauseMs: 500, ...settings },
    },
  ],
});

test('a Zoom outage over most of a page pauses the sweep and retries the page, starting no sagas', async () => {
  await stack.database.db('oauth_service_tokens').delete();
  await seedZoomConnections(stack, 10, 'outage');
  stack.zoom.faults.add({ route: 'GET /v2/users/me', status: 503, firstN: 30 }); // 10 tokens × 3 in-place tries
  const summary = await stack.temporal.client.workflow.execute('tokenSweepWorkflow', sweepOf('sweep-outage'));
  stack.zoom.faults.clear();
  assert.equal(summary.outagePauses, 1);
  assert.equal(summary.sagasStarted, 0, 'an outage burns nobody’s attempts');
  assert.equal(summary.valid, 10);
});

test('an outage that outlasts maxOutageMs fails the sweep visibly, having counted nobody', async () => {
  await stack.database.db('oauth_service_tokens').delete();
  await seedZoomConnections(stack, 10, 'long-outage');
  const outage = stack.zoom.faults.add({ route: 'GET /v2/users/me', status: 503 });
  try {
    const failure = await stack.temporal.client.workflow
      .execute(
        'tokenSweepWorkflow',
        sweepOf('sweep-long-outage', { maxAttempts: 1, outagePauseMs: 300, maxOutageMs: 1000 }),
      )
      .then(
        () => assert.fail('the sweep should fail'),
        (error: unknown) => error,
      );
    assert.ok(failure instanceof WorkflowFailedError);
    const cause = failure.cause as { type?: string; message: string };
    assert.equal(cause.type, 'SweepOutage');
    assert.match(cause.message, /no tutor was counted/);
  } finally {
    stack.zoom.faults.remove(outage);
  }
  const counted = await stack.database.db('oauth_service_tokens').where('reconnection_attempts', '>', 0);
  assert.equal(counted.length, 0);
});

test('a long outage continues as new, carrying its cursor, instead of growing one run’s history', async () => {
  await stack.database.db('oauth_service_tokens').delete();
  const tutors = await seedZoomConnections(stack, 20, 'outage-runs');
  const { tokens } = stack.container.stores;
  // Zoom fails for the second page's tutors only: the outage begins after the first page passed.
  for (const tutorId of tutors.slice(10)) {
    const row = (await tokens.findByUser(tutorId))!;
    stack.zoom.faults.add({ route: 'GET /v2/users/me', user: row.uid, status: 503 });
  }
  const options = sweepOf('sweep-outage-runs', { outagePauseMs: 100, outageRoundsPerRun: 2 });
  const handle = await stack.temporal.client.workflow.start('tokenSweepWorkflow', options);
  const latest = stack.temporal.client.workflow.getHandle(options.workflowId);
  try {
    await waitFor('a third run', async () => (await latest.query(sweepProgressQuery)).runs >= 3 || undefined);
  } finally {
    stack.zoom.faults.clear();
  }
  const summary = await handle.result();
  assert.ok(summary.outagePauses >= 4, `${summary.outagePauses} pauses`);
  assert.deepEqual(
    [summary.pages, summary.validated, summary.valid, summary.sagasStarted],
    [2, 20, 20, 0],
    'the later runs went on from the second page, and checked it once Zoom was back',
  );
  const first = stack.temporal.client.workflow.getHandle(options.workflowId, handle.firstExecutionRunId);
  const events = (await first.fetchHistory()).events ?? [];
  assert.ok(events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes, 'the first run continued as new');
  assert.ok(events.length <= 50, `the first run ended after its 2 outage rounds (${events.length} events)`);
});

test('an outage over several runs still fails at maxOutageMs: each run carries when it began', async () => {
  await stack.database.db('oauth_service_tokens').delete();
  await seedZoomConnections(stack, 10, 'outage-runs-limit');
  const outage = stack.zoom.faults.add({ route: 'GET /v2/users/me', status: 503 });
  const settings = { maxAttempts: 1, outagePauseMs: 300, maxOutageMs: 1000, outageRoundsPerRun: 1 };
  try {
    const failure = await stack.temporal.client.workflow
      .execute('tokenSweepWorkflow', {
        ...sweepOf('sweep-outage-runs-limit', settings),
        workflowExecutionTimeout: '60 seconds', // bounds a sweep that would forget it: a run per round, forever
      })
      .then(
        () => assert.fail('the sweep should fail'),
        (error: unknown) => error,
      );
    assert.ok(failure instanceof WorkflowFailedError);
    const cause = failure.cause as { type?: string; details?: Array<{ runs?: number }> };
    assert.equal(cause.type, 'SweepOutage', String(failure.cause));
    assert.ok((cause.details?.[0]?.runs ?? 0) >= 2, 'it failed in a later run than the outage began');
  } finally {
    stack.zoom.faults.remove(outage);
  }
});

async function expireAll(): Promise<void> {
  await stack.database.db('oauth_service_tokens').update({ expires_at: new Date(0) });
}

test('our own refused client secret, a 403 or an unreadable answer is never the tutor’s invalid token', async () => {
  await stack.database.db('oauth_service_tokens').delete();
  const [expired, forbidden] = await seedZoomConnections(stack, 2, 'not-theirs');
  const { tokens } = stack.container.stores;
  const wrongSecret = createZoomTokenService({
    db: stack.database.db,
    tokens,
    events: stack.container.stores.connectionEvents,
    zoomApi: stack.container.zoomApi,
    clock: stack.clock,
    logger: stack.container.logger,
    revocations: stack.container.services.grantRevocations,
    zoomOAuth: createZoomOAuthClient({ ...stack.container.zoomConfig, clientSecret: 'rotated-away' }),
  });
  await stack.database
    .db('oauth_service_tokens')
    .where({ user_id: expired })
    .update({ expires_at: new Date(0) });
  const refused = await wrongSecret.validateToken((await tokens.findByUser(expired as string))!.id);
  assert.equal(refused.outcome, 'transient', JSON.stringify(refused));

  const row = (await tokens.findByUser(forbidden as string))!;
  stack.zoom.faults.add({ route: 'GET /v2/users/me', user: row.uid, status: 403 });
  const denied = await stack.container.services.tokenService.validateToken(row.id);
  stack.zoom.faults.clear();
  assert.equal(denied.outcome, 'transient', JSON.stringify(denied));
  assert.ok(
    stack.logs.some((line) => /"level":50/.test(line) && /not the tutor/.test(line)),
    'logged at error for operators',
  );
});

test('a sweep under a client secret Zoom no longer accepts pauses, and counts, emails and deletes nothing', async () => {
  await stack.database.db('oauth_service_tokens').delete();
  const tutors = await seedZoomConnections(stack, 10, 'rotated');
  await expireAll(); // every check needs a refresh, which Zoom refuses with invalid_client
  const { app } = stack.zoom.model;
  const goodSecret = app.clientSecret;
  app.clientSecret = 'rotated-in-the-zoom-marketplace';
  const handle = await stack.temporal.client.workflow.start(
    'tokenSweepWorkflow',
    sweepOf('sweep-bad-secret', { maxAttempts: 1 }),
  );
  try {
    await waitFor(
      'two outage pauses',
      async () => (await handle.query(sweepProgressQuery)).outagePauses >= 2 || undefined,
    );
  } finally {
    app.clientSecret = goodSecret;
  }
  const summary = await handle.result();
  assert.equal(summary.sagasStarted, 0, 'no saga for a fault that is ours');
  assert.equal(summary.valid, 10, 'the page is checked again once the secret is right');
  const rows = await stack.database.db('oauth_service_tokens').whereIn('user_id', tutors);
  assert.deepEqual(
    rows.map((r) => r.reconnection_attempts),
    Array(10).fill(0),
  );
  assert.equal(stack.sendgrid.outbox().filter((m) => m.categories.includes('zoom')).length, 0);
});

test(
  'a saga still failing transiently at the day’s end (Zoom, or SendGrid for its email) fails, visibly, and counts nothing',
  { timeout: 120_000 },
  async () => {
    await stack.database.db('oauth_service_tokens').delete();
    const [zoomDown, mailDown] = (await seedZoomConnections(stack, 2, 'dayend')) as [string, string];
    const { tokens } = stack.container.stores;
    const zoomDownRow = (await tokens.findByUser(zoomDown))!;
    const mailDownRow = (await tokens.findByUser(mailDown))!;
    const rows = [zoomDownRow, mailDownRow];
    stack.zoom.faults.add({ route: 'GET /v2/users/me', status: 503, user: zoomDownRow.uid });
    stack.zoom.deleteUser(mailDownRow.uid); // an invalid token: its saga must email the tutor
    const mail = stack.sendgrid.faults.add({ route: 'POST /v3/mail/send', status: 503 });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const handles = await Promise.all(
      rows.map((row) =>
        stack.temporal.client.workflow.start('zoomReconnectionWorkflow', {
          taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
          workflowId: uniqueName('saga-dayend'),
          args: [
            { tokenId: row.id, tutorId: row.userId, zoomUserId: row.uid, day: yesterday, maxAttempts: 3 },
          ],
        }),
      ),
    );
    try {
      const failures = await Promise.all(
        handles.map((h) =>
          h.result().then(
            () => undefined,
            (e: unknown) => e,
          ),
        ),
      );
      assert.deepEqual(
        failures.map((f) => (f instanceof WorkflowFailedError ? (f.cause as { type?: string }).type : f)),
        ['ValidationFailed', 'ReconnectionFailed'],
      );
    } finally {
      stack.zoom.faults.clear();
      stack.sendgrid.faults.remove(mail);
    }
    for (const [i, handle] of handles.entries()) {
      const described = await handle.describe();
      assert.equal(described.status.name, 'FAILED', `saga ${i}`);
      assert.deepEqual(described.searchAttributes.ReconnectionOutcome, ['failed'], `saga ${i}`);
    }
    for (const tutorId of [zoomDown, mailDown]) {
      assert.equal((await tokens.findByUser(tutorId))!.reconnectionAttempts, 0);
      assert.equal(stack.sendgrid.outbox().filter((m) => m.to.includes(`${tutorId}@example.com`)).length, 0);
    }

    // `ops failed` lists them, and a saga that timed out (its 23 hours outlived: no worker all day).
    const timedOut = await stack.temporal.client.workflow.start('zoomReconnectionWorkflow', {
      taskQueue: uniqueName('no-worker'),
      workflowId: uniqueName('saga-timed-out'),
      workflowExecutionTimeout: '2 seconds',
      args: [
        {
          tokenId: zoomDownRow.id,
          tutorId: zoomDown,
          zoomUserId: zoomDownRow.uid,
          day: yesterday,
          maxAttempts: 3,
        },
      ],
    });
    await assert.rejects(timedOut.result(), WorkflowFailedError);
    assert.equal((await timedOut.describe()).status.name, 'TIMED_OUT');
    const ops = createOpsCommands(stack.container, () => undefined);
    const expected = [...handles, timedOut].map((h) => h.workflowId).sort();
    await waitFor('ops failed lists the three', async () => {
      const listed = (await ops.failed()).map((r) => r.workflowId);
      return expected.every((id) => listed.includes(id));
    });
  },
);

test('ops pauses and unpauses the schedule', async () => {
  const lines: string[] = [];
  const ops = createOpsCommands(stack.container, (line) => lines.push(line));
  await ops.ensureSchedule();
  await ops.unpause();
  const handle = stack.temporal.client.schedule.getHandle(stack.env.VALIDATION_SCHEDULE_ID);
  assert.equal((await handle.describe()).state.paused, false);
  await ops.pause('maintenance');
  const paused = await handle.describe();
  assert.equal(paused.state.paused, true);
  assert.equal(paused.state.note, 'maintenance');
  lines.length = 0;
  await ops.ensureSchedule();
  assert.deepEqual(lines, ['Schedule unchanged (paused: maintenance).'], 'the real state, not APP_ENV');

  // A production worker says loudly that no sweep will run while the schedule is paused.
  const options = scheduleOptions(stack.env);
  assert.equal(await ensureScheduleAtStart(stack.container, { ...options, production: true }), 'unchanged');
  assert.ok(stack.logs.some((line) => /"level":40/.test(line) && /token check is paused/.test(line)));
});
