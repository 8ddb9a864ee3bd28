import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Worker } from '@temporalio/worker';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { startTestStack, type TestStack } from '../support/stack';
import { workflowBundle } from '../support/temporal';
import { api, booking, connectZoom, emailsFor, HOUR, meetingRow, waitFor } from './lesson-helpers';

let stack: TestStack;
before(async () => (stack = await startTestStack()));
after(async () => stack?.close());

test('a cancel preempts a reschedule waiting out a Zoom Retry-After: cancelled, deleted and emailed at once', async () => {
  const b = booking();
  const handle = stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
  await connectZoom(stack, b.tutor.id);
  await api(stack).book(b);
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  const row = await waitFor('row', () => meetingRow(stack, b.id));
  const limited = stack.zoom.faults.add({
    route: 'PATCH /v2/meetings/:meetingId',
    status: 429,
    retryAfter: { seconds: 3600 },
  });
  try {
    const startsAt = new Date(Date.parse(b.startsAt) + 2 * HOUR).toISOString();
    const endsAt = new Date(Date.parse(startsAt) + HOUR).toISOString();
    assert.equal((await api(stack).reschedule(b.id, { startsAt, endsAt })).status, 202);
    await waitFor(
      'the reschedule to reach Zoom',
      async () => (await stack.database.db('lessons').where({ id: b.id }).first()).version === 2,
    );
    await waitFor('the PATCH answered 429', async () =>
      stack.zoom.requests
        .find({ method: 'PATCH', path: `/v2/meetings/${row.meetingId}` })
        .some((r) => r.status === 429),
    );
    assert.equal((await api(stack).cancel(b.id)).status, 202);
    // Well before the hour Zoom asked for.
    await waitFor('the cancel emails', async () => emailsFor(stack, b.id, 'cancelled').length === 2, 10_000);
    assert.equal((await handle.result()).status, 'cancelled');
  } finally {
    stack.zoom.faults.remove(limited);
    await handle.terminate('test over').catch(() => undefined); // only if it is still stuck
  }
  assert.equal(emailsFor(stack, b.id, 'rescheduled').length, 0, 'no reschedule email for a cancelled lesson');
  assert.equal(await meetingRow(stack, b.id), undefined);
  assert.equal(
    stack.zoom.meetings().find((m) => String(m.id) === row.meetingId),
    undefined,
    'the Zoom meeting is deleted',
  );
  // The preempted path replays deterministically.
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory());
});
