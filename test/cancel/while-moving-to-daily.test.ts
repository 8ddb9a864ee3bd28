import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { zoomDisconnectedSignal } from '../../src/lessons/definitions';
import { useTestStack } from '../support/use-test-stack';
import { api, booking, connectZoom, emailsFor, meetingRow, taken, waitFor } from '../lessons/lesson-helpers';

const stack = useTestStack();

test('a cancel while the lesson moves to Daily (its Zoom gone): nobody is told of the move, only of the cancel', async () => {
  const b = booking();
  await connectZoom(stack, b.tutor.id);
  const handle = stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
  await api(stack).book(b);
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  assert.equal((await meetingRow(stack, b.id))?.provider, 'zoom');
  const slowRoom = stack.daily.faults.add({ route: 'POST /v1/rooms', latencyMs: 2000, firstN: 1 });
  try {
    await handle.signal(zoomDisconnectedSignal);
    // The move deletes the Zoom meeting first, then waits on Daily for the room.
    await waitFor('the move to delete the Zoom meeting', async () =>
      stack.zoom.requests.find({ method: 'DELETE' }).some((r) => r.status === 204),
    );
    assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
    assert.equal((await handle.result()).status, 'cancelled');
  } finally {
    stack.daily.faults.remove(slowRoom);
  }
  assert.equal(emailsFor(stack, b.id, 'cancelled').length, 2);
  assert.equal(emailsFor(stack, b.id, 'moved-to-daily').length, 0, 'no move emails for a cancelled lesson');
  assert.equal(await meetingRow(stack, b.id), undefined);
  assert.equal(stack.daily.rooms().length, 0, 'no Daily room is left');
});
