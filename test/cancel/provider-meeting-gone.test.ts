import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { useTestStack } from '../support/use-test-stack';
import { api, booking, connectZoom, emailsFor, meetingRow, taken, waitFor } from '../lessons/lesson-helpers';

const stack = useTestStack();

/** Books a lesson, then deletes its meeting at the provider behind our back (as a person might). */
async function bookedWithMeetingGone(onZoom: boolean) {
  const b = booking();
  if (onZoom) await connectZoom(stack, b.tutor.id);
  assert.equal((await api(stack).book(b)).status, 202);
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  const row = await meetingRow(stack, b.id);
  assert.equal(row?.provider, onZoom ? 'zoom' : 'daily');
  const { services } = stack.container;
  if (onZoom) await services.zoomMeetings.deleteMeeting(b.tutor.id, row.meetingId);
  else await services.dailyMeetings.deleteMeeting(row.meetingId);
  return b;
}

for (const provider of ['daily', 'zoom'] as const) {
  test(`a cancel whose ${provider} meeting answers 404 counts it as gone: cancelled, the row removed, both told`, async () => {
    const b = await bookedWithMeetingGone(provider === 'zoom');
    const deletes = () =>
      (provider === 'zoom' ? stack.zoom : stack.daily).requests.find({ method: 'DELETE' });
    const before404s = deletes().filter((r) => r.status === 404).length;
    assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
    const result = await stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id)).result();
    assert.equal(result.status, 'cancelled');
    assert.equal(
      deletes().filter((r) => r.status === 404).length,
      before404s + 1,
      'the provider answered 404, once',
    );
    assert.equal(await meetingRow(stack, b.id), undefined);
    assert.equal(emailsFor(stack, b.id, 'cancelled').length, 2);
  });
}
