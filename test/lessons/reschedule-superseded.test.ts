import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Worker } from '@temporalio/worker';
import { lessonStateQuery } from '../../src/lessons/definitions';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { startTestStack, type TestStack } from '../support/stack';
import { workflowBundle } from '../support/temporal';
import { api, booking, connectZoom, emailsFor, HOUR, meetingRow, waitFor, icsStart } from './lesson-helpers';

let stack: TestStack;
before(async () => (stack = await startTestStack()));
after(async () => stack?.close());

const MINUTE = 60_000;
const times = (startsAtMs: number) => ({
  startsAt: new Date(startsAtMs).toISOString(),
  endsAt: new Date(startsAtMs + HOUR).toISOString(),
});

test('a newer reschedule does not wait for an older one retrying Zoom until its own (later) deadline', async () => {
  const b = booking();
  const zoomUserId = await connectZoom(stack, b.tutor.id);
  const handle = stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
  await api(stack).book(b);
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  assert.equal((await meetingRow(stack, b.id))?.provider, 'zoom');
  const outage = stack.zoom.faults.add({
    route: 'PATCH /v2/meetings/:meetingId',
    user: zoomUserId,
    status: 503,
  });
  const patches = () => stack.zoom.requests.find({ method: 'PATCH' }).filter((r) => r.user === zoomUserId);
  try {
    // The first move is days away: Zoom would be retried for days before it fell back to Daily.
    const first = times(Date.parse(b.startsAt) + 24 * HOUR);
    assert.equal((await api(stack).reschedule(b.id, first)).status, 202);
    await waitFor('the first move to be retried', async () => patches().length >= 2);
    // The second, soon: the margin plus a minute ahead, so its deadline is a minute from now.
    const second = times(Date.now() + stack.env.ZOOM_FALLBACK_MARGIN_MINUTES * MINUTE + MINUTE);
    assert.equal((await api(stack).reschedule(b.id, second)).status, 202);
    await waitFor(
      'the second move to reach Daily at its times',
      async () => emailsFor(stack, b.id, 'rescheduled').length === 2,
      3 * MINUTE,
    );
    const meeting = await meetingRow(stack, b.id);
    assert.equal(meeting?.provider, 'daily');
    const state = await handle.query(lessonStateQuery);
    assert.equal(state.startsAt, second.startsAt);
    const row = await stack.database.db('lessons').where({ id: b.id }).first();
    assert.equal(new Date(row.starts_at).toISOString(), second.startsAt, 'the row has the latest times');
    assert.equal(state.version, row.version);
    const mails = emailsFor(stack, b.id, 'rescheduled');
    assert.ok(
      mails.every((m) => m.attachments[0]?.content.includes(icsStart(second.startsAt))),
      'one email each, with the latest times',
    );
  } finally {
    stack.zoom.faults.remove(outage);
  }
  assert.equal((await api(stack).cancel(b.id)).status, 202);
  assert.equal((await handle.result()).status, 'cancelled');
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory());
});
