import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { useTestStack } from '../support/use-test-stack';
import { api, booking, emailsFor, meetingRow, taken, waitFor } from '../lessons/lesson-helpers';

const stack = useTestStack();

test('cancel after the meeting exists: the room is deleted, the row removed, both sides told', async () => {
  const b = booking();
  await api(stack).book(b);
  const row = await waitFor('row', () => meetingRow(stack, b.id));
  assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
  await waitFor('cancellation emails', async () => emailsFor(stack, b.id, 'cancelled').length === 2);
  assert.equal(await meetingRow(stack, b.id), undefined);
  assert.equal(
    stack.daily.rooms().find((r) => r.name === row.meetingId),
    undefined,
  );
  assert.match(emailsFor(stack, b.id, 'cancelled')[0]?.attachments[0]?.content ?? '', /METHOD:CANCEL/);
  const page = await fetch(row.participantJoinUrl, { redirect: 'manual' });
  assert.equal(page.status, 410);
  assert.equal((await api(stack).reschedule(b.id, { startsAt: b.startsAt, endsAt: b.endsAt })).status, 409);
  assert.equal(
    (await api(stack).book(b)).status,
    409,
    'a cancelled lesson is not booked again under the same id',
  );
});

test('the meeting of a cancelled lesson shows no links while its room is still being deleted', async () => {
  const b = booking();
  await api(stack).book(b);
  const row = await waitFor('row', () => meetingRow(stack, b.id));
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  // Daily refuses the delete for now: the cancel's step retries, and the meeting row stays meanwhile.
  const stuck = stack.daily.faults.add({ route: 'DELETE /v1/rooms/:name', status: 500 });
  try {
    assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
    assert.ok(await meetingRow(stack, b.id), 'the row is still there');
    const seen = (await (await api(stack).meeting(b.id)).json()) as Record<string, unknown>;
    assert.equal(seen.status, 'cancelled');
    assert.deepEqual(
      [seen.provider, seen.meetingId, seen.joinUrl, seen.participantJoinUrl],
      [null, null, null, null],
    );
  } finally {
    stack.daily.faults.remove(stuck);
  }
  const result = await stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id)).result();
  assert.equal(result.status, 'cancelled');
  assert.equal(
    stack.daily.rooms().find((r) => r.name === row.meetingId),
    undefined,
  );
});

test('cancel while the meeting is being created: it is created, then deleted; no meeting is left', async () => {
  const b = booking();
  // Long enough for the cancel to come while it is held, under load too.
  const slow = stack.daily.faults.add({ route: 'POST /v1/rooms', latencyMs: 2500, firstN: 1 });
  await api(stack).book(b);
  // The room's create request under way (held by the fault), not a guess of when it will be.
  await waitFor('the room being made', async () => stack.daily.faults.matched(slow) === 1);
  const cancelSent = Date.now();
  assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
  const seen = (await (await api(stack).meeting(b.id)).json()) as { status: string };
  assert.equal(seen.status, 'cancelled', 'the cancel is recorded at once');
  const result = await stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id)).result();
  stack.daily.faults.remove(slow);
  assert.equal(result.status, 'cancelled');
  const made = stack.daily.requests
    .find({ method: 'POST', path: '/v1/rooms' })
    .filter((r) => r.status === 200 && r.body.includes(b.id));
  assert.equal(made.length, 1, 'the room was made (else the cancel came first, and this tests nothing)');
  assert.ok(cancelSent < (made[0]?.at ?? 0), 'cancelled while the room was being made');
  assert.equal(stack.daily.rooms().filter((r) => r.name.includes(b.id)).length, 0);
  assert.equal(await meetingRow(stack, b.id), undefined);
  assert.equal(emailsFor(stack, b.id, 'booked').length, 0, 'a cancelled lesson is never announced');
  assert.equal(emailsFor(stack, b.id, 'cancelled').length, 0, 'nor cancelled to people never told of it');
});

test('cancelling a booked lesson whose workflow is gone is a 409 that leaves the lesson as it was', async () => {
  const b = booking();
  await api(stack).book(b);
  await waitFor('row', () => meetingRow(stack, b.id));
  await stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id)).terminate('an operator stopped it');
  assert.equal((await api(stack).cancel(b.id)).status, 409);
  assert.equal((await stack.database.db('lessons').where({ id: b.id }).first()).status, 'booked');
});
