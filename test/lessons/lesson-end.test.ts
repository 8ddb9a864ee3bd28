import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { useTestStack } from '../support/use-test-stack';
import { api, booking, HOUR, meetingRow, waitFor } from './lesson-helpers';

const stack = useTestStack({ env: { LESSON_GRACE_MINUTES: '1' }, platformEvents: true });

test(
  'after the end plus grace the Daily room is deleted, the workflow finishes and the platform hears lesson.finished',
  { timeout: 150_000 },
  async () => {
    const startsAt = new Date(Date.now() + 5_000);
    const b = {
      ...booking(),
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 10_000).toISOString(),
    };
    assert.equal((await api(stack).book(b)).status, 202);
    const row = await waitFor('the room', () => meetingRow(stack, b.id));
    const state = await stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id)).result();
    assert.equal(state.status, 'finished');
    assert.equal(
      stack.daily.rooms().find((r) => r.name === row.meetingId),
      undefined,
    );
    assert.equal((await stack.database.db('lessons').where({ id: b.id }).first()).status, 'finished');
    const late = await fetch(row.participantJoinUrl, { redirect: 'manual' });
    assert.equal(late.status, 403, 'the link expired with the lesson');
    const seen = (await (await api(stack).meeting(b.id)).json()) as Record<string, unknown>;
    assert.deepEqual(
      [seen.status, seen.provider, seen.joinUrl, seen.participantJoinUrl],
      ['finished', 'daily', null, null],
      'a finished lesson names its meeting, but no dead links',
    );
    const finished = await stack.platformEvents!.deliveredData('lesson.finished', { lessonId: b.id });
    assert.deepEqual(finished, seen, 'data is the body of GET /lessons/:id/meeting');
  },
);

test('a lesson past its end plus grace is over: cancel and reschedule get 409 and change nothing', async () => {
  const b = booking();
  await api(stack).book(b);
  await waitFor('row', () => meetingRow(stack, b.id));
  const endsAt = Date.parse(b.endsAt);
  stack.clock.set(new Date(endsAt + stack.env.LESSON_GRACE_MINUTES * 60_000 + 1000));
  try {
    const later = new Date(endsAt + 48 * HOUR).toISOString();
    const laterEnd = new Date(endsAt + 49 * HOUR).toISOString();
    const answers = [
      await api(stack).cancel(b.id),
      await api(stack).reschedule(b.id, { startsAt: later, endsAt: laterEnd }),
    ];
    assert.deepEqual(
      answers.map((a) => a.status),
      [409, 409],
    );
  } finally {
    stack.clock.set(new Date());
  }
  const row = await stack.database.db('lessons').where({ id: b.id }).first();
  assert.equal(row.status, 'booked');
  assert.equal(row.version, 1);
});
