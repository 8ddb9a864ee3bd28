import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lessonStateQuery } from '../../src/lessons/definitions';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { useTestStack } from '../support/use-test-stack';
import {
  api,
  booking,
  emailsFor,
  HOUR,
  meetingRow,
  taken,
  type Booking,
  waitFor,
} from '../lessons/lesson-helpers';

const stack = useTestStack();

/** The invites' SEQUENCE in this lesson's emails of `event`, one per email, in the order sent. */
const sequences = (lessonId: string, event: string): number[] =>
  emailsFor(stack, lessonId, event).map((m) =>
    Number(/SEQUENCE:(\d+)/.exec(m.attachments[0]?.content ?? '')?.[1]),
  );

const moveBy = async (b: Booking, hours: number): Promise<string> => {
  const startsAt = new Date(Date.parse(b.startsAt) + hours * HOUR).toISOString();
  const endsAt = new Date(Date.parse(startsAt) + HOUR).toISOString();
  assert.equal(await taken(await api(stack).reschedule(b.id, { startsAt, endsAt })), 'taken');
  return startsAt;
};

/** SendGrid's 500s for this lesson's emails (its sends carry the lesson id in their custom args). */
const refusedSends = (lessonId: string): number =>
  stack.sendgrid.requests
    .all()
    .filter((r) => r.path === '/v3/mail/send' && r.status === 500 && r.body.includes(lessonId)).length;

const terminate = (b: Booking) =>
  stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id)).terminate('an operator stopped it');

test('a lesson booked again after its workflow failed is announced at its next version, and continues from there', async () => {
  const b = booking();
  await api(stack).book(b);
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  for (const [hours, emails] of [
    [1, 2],
    [2, 4],
  ] as const) {
    await moveBy(b, hours);
    await waitFor(
      `reschedule to +${hours} h`,
      async () => emailsFor(stack, b.id, 'rescheduled').length === emails,
    );
  }
  await terminate(b);
  assert.equal((await api(stack).book(b)).status, 202, 'the same booking starts it again');

  // People hold invites at version 3: the new workflow announces the lesson at 4, at its current times.
  await waitFor('booked again', async () => emailsFor(stack, b.id, 'booked').length === 4);
  assert.deepEqual(sequences(b.id, 'booked'), [1, 1, 4, 4]);
  const moved = new Date(Date.parse(b.startsAt) + 2 * HOUR).toISOString().replace(/[-:]|\.\d{3}/g, '');
  for (const mail of emailsFor(stack, b.id, 'booked').slice(2))
    assert.match(mail.attachments[0]?.content ?? '', new RegExp(`DTSTART:${moved}`));

  const startsAt = await moveBy(b, 3);
  await waitFor(
    'the third reschedule emailed',
    async () => emailsFor(stack, b.id, 'rescheduled').length === 6,
  );
  assert.deepEqual(sequences(b.id, 'rescheduled').slice(4), [5, 5]);
  const row = await stack.database.db('lessons').where({ id: b.id }).first();
  assert.equal(new Date(row.starts_at).toISOString(), startsAt);
  assert.equal(row.version, 5);

  assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
  await waitFor('cancel emails', async () => emailsFor(stack, b.id, 'cancelled').length === 2);
  assert.deepEqual(sequences(b.id, 'cancelled'), [6, 6]);
});

test('a lesson first announced by the workflow booked again is cancelled to both sides', async () => {
  const b = booking();
  // The first workflow makes the meeting but can't email anyone; an operator stops it.
  const down = stack.sendgrid.faults.add({ route: 'POST /v3/mail/send', status: 500 });
  try {
    await api(stack).book(b);
    await waitFor('row', () => meetingRow(stack, b.id));
    // Its one-step try's two sends refused, then its email step's first attempt's two: the run now
    // waits for its retry, which asks whether the run is open and sends nothing. Terminated at the
    // first two, the step's first attempt could be past that question, on its way, and go through
    // once the fault is gone: a send begun before the termination, a race of the test's making.
    await waitFor('the refused sends', async () => refusedSends(b.id) >= 4);
    await terminate(b);
  } finally {
    stack.sendgrid.faults.remove(down);
  }
  assert.equal(emailsFor(stack, b.id).length, 0);
  assert.equal((await api(stack).book(b)).status, 202);
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  assert.deepEqual(sequences(b.id, 'booked'), [2, 2]);

  assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
  await waitFor('cancel emails', async () => emailsFor(stack, b.id, 'cancelled').length === 2);
  assert.deepEqual(sequences(b.id, 'cancelled'), [3, 3]);
});

test('a lesson booked again after its workflow failed keeps the times it was moved to: it ends then, not at the booking’s end', async () => {
  const b = booking();
  await api(stack).book(b);
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  const startsAt = await moveBy(b, 5);
  await waitFor('rescheduled', async () => emailsFor(stack, b.id, 'rescheduled').length === 2);
  await terminate(b);
  assert.equal((await api(stack).book(b)).status, 202);
  await waitFor('booked again', async () => emailsFor(stack, b.id, 'booked').length === 4);
  const handle = stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
  const state = await handle.query(lessonStateQuery);
  assert.equal(state.startsAt, startsAt);
  assert.equal(state.endsAt, new Date(Date.parse(startsAt) + HOUR).toISOString());
});
