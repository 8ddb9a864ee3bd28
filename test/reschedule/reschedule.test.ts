import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lessonStateQuery } from '../../src/lessons/definitions';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { useTestStack } from '../support/use-test-stack';
import {
  api,
  booking,
  connectZoom,
  emailsFor,
  HOUR,
  icsStart,
  meetingRow,
  waitFor,
  taken,
} from '../lessons/lesson-helpers';

const stack = useTestStack();

const state = (lessonId: string) =>
  stack.temporal.client.workflow.getHandle(lessonWorkflowId(lessonId)).query(lessonStateQuery);

test('three rapid reschedules: the provider sees the first one taken and the last, in order; the row and the last emails have the last', async () => {
  const b = booking();
  assert.equal((await api(stack).book(b)).status, 202);
  await waitFor('emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  const roomName = (await meetingRow(stack, b.id))?.meetingId;
  const times = [3, 4, 5].map((h) => {
    const startsAt = new Date(Date.parse(b.startsAt) + h * HOUR);
    return { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + HOUR).toISOString() };
  });
  // Daily slow to answer, so that the second and third come while the first is under way.
  const slow = stack.daily.faults.add({ route: `POST /v1/rooms/${roomName}`, latencyMs: 1500 });
  try {
    // Each answer waits for its Update's result: sent one after another, the second and third
    // leave while the first is under way, without waiting for it.
    const sent: Array<Promise<Response>> = [];
    for (const t of times) {
      sent.push(api(stack).reschedule(b.id, t));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const answered: number[] = [];
    for (const res of sent) {
      assert.equal(await taken(await res), 'taken');
      answered.push(Date.now());
    }
    const last = times[2] as { startsAt: string; endsAt: string };
    await waitFor(
      'the last times',
      async () => (await state(b.id)).startsAt === last.startsAt && !(await state(b.id)).pendingReschedule,
    );
    const updates = stack.daily.requests.find({ method: 'POST', path: `/v1/rooms/${roomName}` });
    const expiries = updates.map(
      (r) => (JSON.parse(r.body) as { properties: { exp: number } }).properties.exp,
    );
    const expiry = (t: { endsAt: string }) =>
      Math.floor(Date.parse(t.endsAt) / 1000) + stack.env.LESSON_GRACE_MINUTES * 60;
    // Which one is taken first depends on how many the workflow holds when it first looks (under
    // load, the first two or all three come together): the latest of them. Each later update
    // takes the latest asked by then. So the provider sees asked times in order, each once,
    // ending with the last.
    const asked = times.map(expiry);
    const positions = expiries.map((e) => asked.indexOf(e));
    assert.ok(
      positions.every((p, i) => p >= 0 && (i === 0 || p > (positions[i - 1] as number))),
      `asked times, in order, each once: ${JSON.stringify(positions)}`,
    );
    assert.equal(positions.at(-1), 2, 'the last');
    // All three answered before the first update was: the second and the third wait for it
    // together, and only the latest of them follows it.
    if (Math.max(...answered) <= (updates[0]?.at ?? 0))
      assert.ok(expiries.length <= 2, `the first taken and the last: ${JSON.stringify(positions)}`);
    const lesson = await stack.database.db('lessons').where({ id: b.id }).first();
    assert.equal(new Date(lesson.starts_at).toISOString(), last.startsAt);
    // The last email the student gets carries the last times.
    const newest = () =>
      emailsFor(stack, b.id, 'rescheduled')
        .filter((m) => m.to.includes(b.student.email))
        .at(-1)?.attachments[0]?.content ?? '';
    await waitFor('the last times emailed', async () => new RegExp(icsStart(last.startsAt)).test(newest()));
  } finally {
    stack.daily.faults.remove(slow);
  }
});

test('a Zoom reschedule PATCHes the meeting time', async () => {
  const b = booking();
  await connectZoom(stack, b.tutor.id);
  await api(stack).book(b);
  const row = await waitFor('row', () => meetingRow(stack, b.id));
  const startsAt = new Date(Date.parse(b.startsAt) + 2 * HOUR).toISOString();
  await api(stack).reschedule(b.id, {
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + HOUR / 2).toISOString(),
  });
  await waitFor(
    'the PATCH',
    async () =>
      stack.zoom.meetings().find((m) => String(m.id) === row.meetingId)?.start_time ===
      startsAt.replace(/\.\d{3}Z$/, 'Z'),
  );
  assert.equal(stack.zoom.meetings().find((m) => String(m.id) === row.meetingId)?.duration, 30);
});
