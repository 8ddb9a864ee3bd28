import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureTokenSweepSchedule } from '../../src/schedule/token-sweep-schedule';
import { VALIDATION_SCHEDULE_ID } from '../../src/workflows/definitions/token-sweep';
import { connectZoom } from '../lessons/lesson-helpers';
import { useTestStack } from '../support/use-test-stack';
import { randomDay, uniqueName } from '../support/temporal';

const stack = useTestStack({ platformEvents: true });

const settings = { pageSize: 3, concurrency: 2, maxAttempts: 3 };
const tokenOf = async (tutorId: string) => stack.container.stores.tokens.findByUser(tutorId);
const reconnectMails = (tutorEmail: string) =>
  stack.sendgrid.outbox().filter((m) => m.to.includes(tutorEmail) && m.categories.includes('zoom'));

async function sweep(sweepDate: string) {
  return stack.temporal.client.workflow.execute('tokenSweepWorkflow', {
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueName(`sweep-${sweepDate}`),
    args: [{ sweepDate, settings }],
  });
}

async function sagaResult(tokenId: string, day: string) {
  return stack.temporal.client.workflow.getHandle(`zoom-reconnection/${tokenId}/${day}`).result();
}

test('a sweep over a mixed population gives exact counts, emails and attempts', async () => {
  const ids: Record<string, string> = {};
  for (const kind of ['valid', 'expired', 'revoked', 'deleted', 'flaky5xx', 'limited429'])
    ids[kind] = await connectZoom(stack, `tutor-${kind}`);
  await stack.database
    .db('oauth_service_tokens')
    .whereIn('user_id', ['tutor-expired', 'tutor-revoked'])
    .update({ expires_at: new Date(Date.now() - 60_000) });
  stack.zoom.revokeToken((await tokenOf('tutor-revoked'))!.refreshToken);
  stack.zoom.deleteUser(ids.deleted as string);
  stack.zoom.faults.add({ route: 'GET /v2/users/me', user: ids.flaky5xx, status: 503, firstN: 4 });
  stack.zoom.faults.add({
    route: 'GET /v2/users/me',
    user: ids.limited429,
    status: 429,
    retryAfter: { seconds: 1 },
    firstN: 1,
  });

  const day = randomDay();
  const summary = await sweep(day);
  assert.equal(summary.validated, 6);
  assert.equal(summary.valid, 3, 'valid, expired-but-refreshable, and 429-then-fine');
  assert.equal(summary.sagasStarted, 3, 'revoked, deleted user, and the 5xx that outlasted in-place retries');

  const revoked = await sagaResult((await tokenOf('tutor-revoked'))!.id, day);
  assert.deepEqual(revoked, { outcome: 'reminded', attempts: 1, tutorId: 'tutor-revoked' });
  const deletedUser = await sagaResult((await tokenOf('tutor-deleted'))!.id, day);
  assert.equal(deletedUser.outcome, 'reminded');
  const flaky = await sagaResult((await tokenOf('tutor-flaky5xx'))!.id, day);
  assert.equal(flaky.outcome, 'valid', 'a transient fault never counts');
  assert.equal((await tokenOf('tutor-flaky5xx'))!.reconnectionAttempts, 0);
  assert.equal(
    (await tokenOf('tutor-expired'))!.expiresAt > new Date(),
    true,
    'the expired token was refreshed',
  );

  assert.equal(reconnectMails('tutor-revoked@zoom.example.com').length, 1);
  assert.equal(reconnectMails('tutor-deleted@zoom.example.com').length, 1);
  assert.equal(reconnectMails('tutor-flaky5xx@zoom.example.com').length, 0);
  assert.equal(reconnectMails('tutor-valid@zoom.example.com').length, 0);
  assert.match(
    reconnectMails('tutor-revoked@zoom.example.com')[0]?.text ?? '',
    /integrations\/zoom\/connect\?reconnect=/,
  );

  // Triggered twice on the same day: no second email, no second count.
  const again = await sweep(day);
  assert.equal(again.sagasAlreadyRunning, 2);
  assert.equal(reconnectMails('tutor-revoked@zoom.example.com').length, 1);
  assert.equal((await tokenOf('tutor-revoked'))!.reconnectionAttempts, 1);
});

test('three failing days march a token to deletion, the platform told each day; a recovered token resets to 0', async () => {
  const events = stack.platformEvents!;
  await connectZoom(stack, 'tutor-march');
  const recoveredZoomId = await connectZoom(stack, 'tutor-recovers');
  const march = (await tokenOf('tutor-march'))!;
  await stack.database
    .db('oauth_service_tokens')
    .where({ user_id: 'tutor-march' })
    .update({ expires_at: new Date(0) });
  stack.zoom.revokeToken(march.refreshToken);
  await stack.database
    .db('oauth_service_tokens')
    .where({ user_id: 'tutor-recovers' })
    .update({ reconnection_attempts: 2 });
  void recoveredZoomId;

  const first = Date.parse(`${randomDay()}T00:00:00Z`);
  const days = [0, 1, 2].map((i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
  for (const [i, day] of days.entries()) {
    await sweep(day);
    const result = await sagaResult(march.id, day);
    assert.equal(result.outcome, i < 2 ? 'reminded' : 'deleted', day);
    assert.equal(result.attempts, i + 1);
    if (i < 2)
      assert.deepEqual(
        await events.deliveredData('zoom.reconnection_needed', { tutorId: 'tutor-march', attempt: i + 1 }),
        { tutorId: 'tutor-march', state: 'reconnection_needed', attempt: i + 1, maxAttempts: 3 },
      );
  }
  assert.deepEqual(await events.deliveredData('zoom.disconnected', { tutorId: 'tutor-march' }), {
    tutorId: 'tutor-march',
    state: 'disconnected',
    reason: 'max_reconnection_attempts',
  });
  assert.equal(events.delivered('zoom.reconnection_needed', { tutorId: 'tutor-march' }).length, 2);
  assert.equal(await tokenOf('tutor-march'), undefined, 'deleted on the third failing day');
  const mails = reconnectMails('tutor-march@zoom.example.com');
  assert.equal(mails.length, 3);
  assert.match(mails[2]?.subject ?? '', /Zoom was disconnected/);
  assert.match(mails[2]?.text ?? '', /reconnect=/);
  assert.equal((await tokenOf('tutor-recovers'))!.reconnectionAttempts, 0);
});

test('the schedule runs daily at 08:30 UTC, paused outside production and active in production', async () => {
  const base = { taskQueue: stack.env.TEMPORAL_TASK_QUEUE, settings };
  const devId = uniqueName('schedule-dev');
  assert.equal(
    await ensureTokenSweepSchedule(stack.temporal.client, { ...base, production: false, scheduleId: devId }),
    'created',
  );
  const dev = await stack.temporal.client.schedule.getHandle(devId).describe();
  assert.equal(dev.state.paused, true);
  assert.match(dev.state.note ?? '', /outside production/);
  const calendar = dev.spec.calendars?.[0];
  assert.deepEqual(
    [calendar?.hour, calendar?.minute],
    [[{ start: 8, end: 8, step: 1 }], [{ start: 30, end: 30, step: 1 }]],
  );
  assert.equal(dev.spec.timezone, 'UTC');
  assert.equal(dev.policies.overlap, 'SKIP');
  // Every worker ensures the schedule at start: the same configuration writes nothing, so it can't
  // undo an operator's pause or unpause made meanwhile; a new one updates it and keeps the state.
  const handle = stack.temporal.client.schedule.getHandle(devId);
  await handle.unpause('an operator');
  assert.equal(
    await ensureTokenSweepSchedule(stack.temporal.client, { ...base, production: false, scheduleId: devId }),
    'unchanged',
  );
  assert.equal((await handle.describe()).state.paused, false);
  await handle.pause('maintenance');
  const changed = { ...base, settings: { ...settings, maxAttempts: settings.maxAttempts + 1 } };
  assert.equal(
    await ensureTokenSweepSchedule(stack.temporal.client, {
      ...changed,
      production: true,
      scheduleId: devId,
    }),
    'updated',
  );
  const updated = await handle.describe();
  assert.deepEqual([updated.state.paused, updated.state.note], [true, 'maintenance']);
  assert.deepEqual(updated.action.type === 'startWorkflow' ? updated.action.args : undefined, [
    { settings: changed.settings },
  ]);

  const prodId = uniqueName('schedule-prod');
  await ensureTokenSweepSchedule(stack.temporal.client, { ...base, production: true, scheduleId: prodId });
  const prod = await stack.temporal.client.schedule.getHandle(prodId).describe();
  assert.equal(prod.state.paused, false);
  const next = prod.info.nextActionTimes[0] as Date;
  assert.equal(next.toISOString().slice(11, 16), '08:30');
  for (const id of [devId, prodId]) await stack.temporal.client.schedule.getHandle(id).delete();
  assert.equal(VALIDATION_SCHEDULE_ID, 'validate-zoom-tokens');
});

test('handling a failing token twice on one day emails, counts and records the reminder once', async () => {
  await connectZoom(stack, 'tutor-twice');
  const token = (await tokenOf('tutor-twice'))!;
  const input = { tokenId: token.id, version: token.version, day: randomDay(), maxAttempts: 3 };
  const validation = stack.container.services.tokenSweep;
  const first = await validation.handleInvalidToken(input);
  const again = await validation.handleInvalidToken(input);
  assert.deepEqual([first.outcome, first.attempts], ['reminded', 1]);
  assert.deepEqual([again.outcome, again.attempts], ['reminded', 1]);
  const reminders = await stack.database
    .db('zoom_connection_events')
    .where({ user_id: 'tutor-twice', event: 'reminded' });
  assert.equal(reminders.length, 1);
  assert.equal(reconnectMails(token.email ?? '').length, 1);
});
