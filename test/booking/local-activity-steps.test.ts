import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { useTestStack } from '../support/use-test-stack';
import { payloadText } from '../support/decode-payloads';
import { api, booking, emailsFor, taken, waitFor } from '../lessons/lesson-helpers';

const stack = useTestStack();

/** The activity types of the lesson's local-activity markers, in order. */
async function localSteps(lessonId: string): Promise<string[]> {
  const history = await stack.temporal.client.workflow.getHandle(lessonWorkflowId(lessonId)).fetchHistory();
  const markers = (history.events ?? []).flatMap((event) => {
    const attributes = event.markerRecordedEventAttributes;
    return attributes?.markerName === 'core_local_activity' ? [attributes.details?.data?.payloads?.[0]] : [];
  });
  const texts = await Promise.all(markers.map(payloadText));
  return texts.map((text) => (JSON.parse(text) as { activity_type: string }).activity_type);
}

const sendRoute = 'POST /v3/mail/send';

test('a booking creates its meeting and sends both LessonBooked emails in one local activity', async () => {
  const b = booking();
  assert.equal((await api(stack).book(b)).status, 202);
  await waitFor('emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  await waitFor('the step recorded', async () => (await localSteps(b.id)).length > 0);
  assert.deepEqual(await localSteps(b.id), ['bookLessonMeeting']);
  assert.equal(stack.daily.rooms().filter((r) => r.name.includes(b.id)).length, 1);
});

test('when SendGrid fails the booking step, the meeting stands and the emails follow in a step of their own, once each', async () => {
  const fault = stack.sendgrid.faults.add({ route: sendRoute, status: 500, firstN: 2 });
  try {
    const b = booking();
    assert.equal((await api(stack).book(b)).status, 202);
    await waitFor('emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
    await waitFor('the steps recorded', async () => (await localSteps(b.id)).length === 2);
    assert.deepEqual(await localSteps(b.id), ['bookLessonMeeting', 'sendLessonEmails']);
    assert.equal(stack.daily.rooms().filter((r) => r.name.includes(b.id)).length, 1);
    assert.deepEqual(
      emailsFor(stack, b.id, 'booked')
        .map((m) => m.to)
        .sort(),
      [[b.student.email], [b.tutor.email]],
    );
    assert.ok(stack.logs.some((l) => l.includes('LessonBooked emails not sent yet')));
  } finally {
    stack.sendgrid.faults.remove(fault);
  }
});

test('a cancel seen while the booking step announces the lesson is announced too', async () => {
  // Slow enough that the worker heartbeats the workflow task (at 8 of its 10 s), which hands the
  // workflow the cancel while its booking step still runs.
  const fault = stack.sendgrid.faults.add({ route: sendRoute, latencyMs: 9000 });
  try {
    const b = booking();
    assert.equal((await api(stack).book(b)).status, 202);
    // Both emails claimed in the ledger, so on their way (the lesson was booked then): cancel now.
    await waitFor('the sends started', async () => {
      const claimed = await stack.database
        .db('sent_emails')
        .whereLike('idempotency_key', `${b.id}:booked:%`)
        .where({ status: 'sending' });
      return claimed.length === 2;
    });
    assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
    await stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id)).result();
    assert.equal(emailsFor(stack, b.id, 'booked').length, 2);
    assert.equal(emailsFor(stack, b.id, 'cancelled').length, 2, 'both people told of the cancel');
  } finally {
    stack.sendgrid.faults.remove(fault);
  }
});

test('a cancel seen while the booking step sent one email of two: the cancel goes to that person only', async () => {
  // The first send hangs 9 s, long enough for the cancel to reach the workflow, then fails; the
  // other is accepted at once. The step reports the emails as not sent, yet one person was told.
  const slowFailure = stack.sendgrid.faults.add({
    route: sendRoute,
    latencyMs: 9000,
    status: 500,
    firstN: 1,
  });
  try {
    const b = booking();
    assert.equal((await api(stack).book(b)).status, 202);
    const told = await waitFor('one email accepted', async () => {
      const [mail] = emailsFor(stack, b.id, 'booked');
      return mail?.to[0];
    });
    assert.equal(await taken(await api(stack).cancel(b.id)), 'taken');
    await stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id)).result();
    assert.deepEqual(
      emailsFor(stack, b.id, 'booked').map((m) => m.to[0]),
      [told],
    );
    assert.deepEqual(
      emailsFor(stack, b.id, 'cancelled').map((m) => m.to[0]),
      [told],
      'the cancel reaches the one person told of the lesson, and only them',
    );
  } finally {
    stack.sendgrid.faults.remove(slowFailure);
  }
});
