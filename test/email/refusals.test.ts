import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lessonStateQuery } from '../../src/lessons/definitions';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { api, booking, emailsFor, meetingRow, taken, waitFor } from '../lessons/lesson-helpers';
import { useTestStack } from '../support/use-test-stack';

const stack = useTestStack();

const sendAttempts = (status: number) =>
  stack.sendgrid.requests.find({ method: 'POST', path: '/v3/mail/send' }).filter((r) => r.status === status);

test('an email SendGrid refuses for good (400) is given up, logged, and the lesson goes on', async () => {
  const b = booking();
  const refusalsBefore = sendAttempts(400).length;
  const refused = stack.sendgrid.faults.add({ route: 'POST /v3/mail/send', status: 400, firstN: 2 });
  try {
    assert.equal((await api(stack).book(b)).status, 202);
    await waitFor('both booked emails refused', async () => sendAttempts(400).length - refusalsBefore === 2);
  } finally {
    stack.sendgrid.faults.remove(refused);
  }
  await waitFor('the row', () => meetingRow(stack, b.id));
  const handle = stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
  await waitFor(
    'the lesson waiting for its day',
    async () => (await handle.query(lessonStateQuery)).status === 'booked',
  );
  assert.equal((await handle.describe()).status.name, 'RUNNING');
  assert.equal(sendAttempts(400).length - refusalsBefore, 2, 'given up, not retried');
  assert.ok(stack.logs.some((line) => /"level":50/.test(line) && /refused this email for good/.test(line)));

  assert.equal(await taken(await api(stack).cancel(b.id)), 'taken', 'the lesson still answers a cancel');
  await waitFor('cancelled', async () => (await handle.query(lessonStateQuery)).status === 'cancelled');
});

test('SendGrid refusing our account (403, a sender not verified yet) holds the emails until it is mended, then sends them', async () => {
  const b = booking();
  const refused = stack.sendgrid.faults.add({ route: 'POST /v3/mail/send', status: 403, firstN: 2 });
  try {
    assert.equal((await api(stack).book(b)).status, 202);
    await waitFor('both booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2, 60_000);
  } finally {
    stack.sendgrid.faults.remove(refused);
  }
});
