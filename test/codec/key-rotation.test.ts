import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEnv } from '../../src/config/parse-env';
import { serviceEnv } from '../../src/config/service-env';
import { createContainer } from '../../src/container';
import { generateKey, keyIdOf, parseKey } from '../../src/crypto/key-ring';
import { lessonWorkflowId } from '../../src/lessons/ids';
import type { LessonState } from '../../src/lessons/types';
import { KEY_ID_METADATA } from '../../src/temporal/payload-codec';
import { startWorker } from '../../src/worker';
import { api, booking, emailsFor, HOUR, waitFor, waitForLessonIdle } from '../lessons/lesson-helpers';
import { workflowBundle } from '../support/temporal';
import { plainDeep } from '../support/decode-payloads';
import { useTestStack } from '../support/use-test-stack';

const stack = useTestStack();

/** The key ids of every encrypted payload of a history, in the order they were written. */
async function keyIdsIn(workflowId: string): Promise<string[]> {
  const { history } = await stack.temporal.connection.workflowService.getWorkflowExecutionHistory({
    namespace: stack.env.TEMPORAL_NAMESPACE,
    execution: { workflowId },
  });
  const ids: string[] = [];
  await plainDeep(history, async (payload) => {
    const keyId = payload.metadata?.[KEY_ID_METADATA];
    if (keyId) ids.push(Buffer.from(keyId).toString());
    return payload;
  });
  return ids;
}

test('key rotation: a worker on a new key, the old one in PAYLOAD_ENCRYPTION_OLD_KEYS, completes a lesson opened under the old key', async () => {
  const b = booking();
  assert.equal((await api(stack).book(b)).status, 202);
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  const workflowId = lessonWorkflowId(b.id);
  await waitForLessonIdle(stack, b.id);
  await stack.stopWorker();

  const oldKey = stack.env.PAYLOAD_ENCRYPTION_KEY;
  const newKey = generateKey();
  const rotated = await createContainer(
    parseEnv(serviceEnv, {
      ...stack.rawEnv,
      PAYLOAD_ENCRYPTION_KEY: newKey,
      PAYLOAD_ENCRYPTION_OLD_KEYS: oldKey,
    }),
    { logger: stack.container.logger, clock: stack.clock, temporalConnection: stack.temporal.connection },
  );
  // A fresh worker replays the lesson's history, written under the old key, before it goes on.
  const worker = await startWorker(rotated, { workflowBundle: await workflowBundle() });
  try {
    const startsAt = new Date(Date.parse(b.startsAt) + HOUR).toISOString();
    const endsAt = new Date(Date.parse(startsAt) + HOUR).toISOString();
    const moved = await rotated.services.lessonCommands.reschedule(b.id, { startsAt, endsAt });
    assert.notEqual(moved.state, 'not-running');
    await waitFor('the reschedule emails', async () => emailsFor(stack, b.id, 'rescheduled').length === 2);
    const handle = rotated.temporal.client.workflow.getHandle(workflowId);
    assert.equal((await handle.query<LessonState>('lessonState')).startsAt, startsAt);
    await rotated.services.lessonCommands.cancel(b.id);
    await handle.result();
    assert.equal((await handle.describe()).status.name, 'COMPLETED');

    const ids = await keyIdsIn(workflowId);
    const oldId = keyIdOf(parseKey(oldKey));
    const newId = keyIdOf(parseKey(newKey));
    assert.equal(ids[0], oldId, 'the input was written under the old key');
    assert.ok(ids.includes(newId), 'what came after was written under the new key');
    assert.deepEqual([...new Set(ids)].sort(), [oldId, newId].sort());
  } finally {
    await worker.shutdown();
    await rotated.close();
  }
});
