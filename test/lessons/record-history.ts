// Records a lesson's history for the replay test:
//   TEMPORAL_ADDRESS=… node --import tsx test/lessons/record-history.ts [file name] [scenario]
// or through the test runner (which starts PostgreSQL and Temporal), naming them in the environment:
//   HISTORY_FILE=… HISTORY_SCENARIO=… npm test -- test/lessons/record-history.ts
// Scenarios: 'three-reschedules' (the default: booked, rescheduled three times, cancelled) and
// 'booking-preempted' (Zoom down, the booking retrying, then cancelled).
// Keep every recorded version: each is replayed, so a change that breaks old lessons fails the test.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { startTestStack, type TestStack } from '../support/stack';
import { HISTORY_KEY_FILE } from '../support/replay-histories';
import { TEST_PAYLOAD_ENCRYPTION_KEY } from '../support/payload-key';
import { api, booking, connectZoom, emailsFor, HOUR, waitFor, type Booking } from './lesson-helpers';

async function threeReschedules(stack: TestStack, b: Booking): Promise<void> {
  await api(stack).book(b);
  await waitFor('emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  for (const h of [2, 3, 4]) {
    const startsAt = new Date(Date.parse(b.startsAt) + h * HOUR);
    await api(stack).reschedule(b.id, {
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + HOUR).toISOString(),
    });
    await waitFor(
      'reschedule applied',
      async () => emailsFor(stack, b.id, 'rescheduled').length >= 2 * (h - 1),
    );
  }
  await api(stack).cancel(b.id);
}

/** The cancel-preempts-booking patch: a cancel stops the booking's Zoom retries. */
async function bookingPreempted(stack: TestStack, b: Booking): Promise<void> {
  const zoomUserId = await connectZoom(stack, b.tutor.id);
  stack.zoom.faults.add({
    route: 'POST /v2/users/me/meetings',
    user: zoomUserId,
    status: 503,
    retryAfter: { seconds: 3600 },
  });
  await api(stack).book(b);
  const handle = stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
  await waitFor('the booking waiting for its retry', async () => {
    const [pending] = (await handle.describe()).raw.pendingActivities ?? [];
    return !!pending?.lastFailure;
  });
  await api(stack).cancel(b.id);
}

const scenarios: Record<string, (stack: TestStack, b: Booking) => Promise<void>> = {
  'three-reschedules': threeReschedules,
  'booking-preempted': bookingPreempted,
};

async function main(): Promise<void> {
  const name = process.env.HISTORY_FILE ?? process.argv[2] ?? 'lesson-3-reschedules-cancel.json';
  const scenarioName = process.env.HISTORY_SCENARIO ?? process.argv[3] ?? 'three-reschedules';
  const scenario = scenarios[scenarioName];
  if (!scenario) throw new Error(`no scenario ${scenarioName}: ${Object.keys(scenarios).join(', ')}`);
  const stack = await startTestStack();
  const b = booking();
  await scenario(stack, b);
  const handle = stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
  await handle.result();
  const history = await handle.fetchHistory();
  // The payloads are encrypted with the suite's key: keep it beside them, so they replay if it changes.
  const keyFile = resolve(__dirname, 'histories', HISTORY_KEY_FILE);
  if (existsSync(keyFile) && readFileSync(keyFile, 'utf8').trim() !== TEST_PAYLOAD_ENCRYPTION_KEY)
    throw new Error(`${HISTORY_KEY_FILE} holds another key: record into another folder, or rotate both`);
  writeFileSync(keyFile, `${TEST_PAYLOAD_ENCRYPTION_KEY}\n`);
  writeFileSync(resolve(__dirname, 'histories', name), JSON.stringify(history));
  console.log(`events: ${history.events?.length}`);
  await stack.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
