// Records the history of a lesson booked, rescheduled three times and cancelled, for the replay test:
//   TEMPORAL_ADDRESS=… node --import tsx test/lessons/record-history.ts [file name]
// Keep every recorded version: each is replayed, so a change that breaks old lessons fails the test.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lessonWorkflowId } from '../../src/workflows/definitions/lesson';
import { startTestStack } from '../support/stack';
import { api, booking, emailsFor, HOUR, waitFor } from './lesson-helpers';

async function main(): Promise<void> {
  const stack = await startTestStack();
  const b = booking();
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
  const handle = stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id));
  await handle.result();
  const history = await handle.fetchHistory();
  const name = process.argv[2] ?? 'lesson-3-reschedules-cancel.json';
  writeFileSync(resolve(__dirname, 'histories', name), JSON.stringify(history));
  console.log(`events: ${history.events?.length}`);
  await stack.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
