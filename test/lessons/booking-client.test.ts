import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createBookingClient } from '../../src/client/booking-client';
import { startTestStack, type TestStack } from '../support/stack';
import { booking, emailsFor, HOUR, meetingRow, waitFor } from './lesson-helpers';

let stack: TestStack;
before(async () => (stack = await startTestStack()));
after(async () => stack?.close());

test('the typed client books, reschedules and cancels like the HTTP API, and records the lesson rows', async () => {
  const client = createBookingClient({
    client: stack.temporal.client,
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
  });
  const b = booking();
  assert.deepEqual(await client.book(b), { lessonId: b.id, workflowId: `lesson-meeting/${b.id}` });
  await waitFor('the row', () => meetingRow(stack, b.id));
  const lesson = await stack.database.db('lessons').where({ id: b.id }).first();
  assert.equal(lesson.tutor_id, b.tutor.id, 'the workflow recorded users and lessons itself');
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);

  const startsAt = new Date(Date.parse(b.startsAt) + HOUR).toISOString();
  assert.equal(
    await client.reschedule(b.id, { startsAt, endsAt: new Date(Date.parse(startsAt) + HOUR).toISOString() }),
    'signalled',
  );
  await waitFor('rescheduled', async () => (await client.meeting(b.id)).startsAt === startsAt);
  assert.throws(() => client.book({ ...b, endsAt: b.startsAt }), /endsAt must be after startsAt/);
  assert.equal(await client.cancel(b.id), 'signalled');
  await waitFor(
    'cancelled',
    async () => (await client.meeting(b.id).catch(() => undefined))?.status === 'cancelled',
  );
  assert.equal(await client.cancel('never-booked'), 'not-running');
});
