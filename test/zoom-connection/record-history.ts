// Records a deauthorization history for test/zoom-connection/deauthorization-replay.test.ts, through
// the test runner (it starts PostgreSQL and Temporal):
//   npm test -- test/zoom-connection/record-history.ts
// RECORD_SUFFIX names the file of a new version; keep every recorded version (each is replayed).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { connectZoom } from '../support/connect-zoom';
import { startTestStack } from '../support/stack';
import { uniqueName } from '../support/temporal';

/** A tutor with Zoom connected removes our app: the grant goes; they had no lessons to move. */
async function main(): Promise<void> {
  const stack = await startTestStack();
  try {
    const zoomUserId = await connectZoom(stack, uniqueName('tutor'));
    const handle = await stack.temporal.client.workflow.start('zoomDeauthorizationWorkflow', {
      taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
      workflowId: uniqueName('deauthorization'),
      args: [{ zoomUserId, deleteUserData: true, deauthorizedAt: new Date().toISOString() }],
    });
    await handle.result();
    const history = await handle.fetchHistory();
    const name = `deauthorization${process.env.RECORD_SUFFIX ?? ''}.json`;
    writeFileSync(resolve(__dirname, 'histories', name), JSON.stringify(history));
    console.log(`${name}: ${history.events?.length} events`);
  } finally {
    await stack.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
