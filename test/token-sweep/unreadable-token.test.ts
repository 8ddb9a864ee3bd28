import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecryptionError, generateKey, KeyRing } from '../../src/crypto/key-ring';
import { zoomReconnectionWorkflowId } from '../../src/workflows/definitions/token-sweep';
import { seedZoomConnections } from '../support/seed-tokens';
import { useTestStack } from '../support/use-test-stack';
import { randomDay, uniqueName } from '../support/temporal';

const stack = useTestStack();

/** What a row looks like once the key that wrote it is dropped before `ops reencrypt` reached it. */
async function encryptWithDroppedKey(tutorId: string): Promise<string> {
  const dropped = new KeyRing(generateKey());
  const stored = dropped.encrypt('lost', {
    table: 'oauth_service_tokens',
    column: 'access_token',
    row: tutorId,
  });
  await stack.database
    .db('oauth_service_tokens')
    .where({ user_id: tutorId })
    .update({ access_token: stored });
  return stored;
}

test('a row that cannot be decrypted is skipped by the sweep, logged and reported, and never counted or deleted', async () => {
  await stack.database.db('oauth_service_tokens').delete();
  const tutors = (await seedZoomConnections(stack, 5, 'unreadable')) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const { tokens } = stack.container.stores;
  const rows = await Promise.all(tutors.map(async (tutorId) => (await tokens.findByUser(tutorId))!));
  stack.zoom.deleteUser(rows[2]!.uid); // a readable, invalid token: its saga still starts
  // One mid-page, one last: the cursor must move past an unreadable row too.
  const ciphertexts = [await encryptWithDroppedKey(tutors[1]), await encryptWithDroppedKey(tutors[4])];
  const unreadableIds = [rows[1]!.id, rows[4]!.id];

  const day = randomDay();
  const summary = await stack.temporal.client.workflow.execute('tokenSweepWorkflow', {
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueName('sweep-unreadable'),
    workflowExecutionTimeout: '30 seconds', // bounds the old behaviour: a page retried forever
    args: [{ sweepDate: day, settings: { pageSize: 3, concurrency: 2, maxAttempts: 1 } }],
  });
  assert.equal(summary.unreadable, 2);
  assert.deepEqual(summary.unreadableTokenIds, unreadableIds);
  assert.equal(summary.validated, 3, 'the readable rows were validated');
  assert.equal(summary.valid, 2);
  assert.equal(summary.sagasStarted, 1, 'only the readable invalid token');
  const saga = stack.temporal.client.workflow.getHandle(zoomReconnectionWorkflowId(rows[2]!.id, day));
  assert.equal((await saga.result()).outcome, 'deleted', 'maxAttempts 1: the readable invalid token goes');

  for (const id of unreadableIds) {
    await assert.rejects(
      stack.temporal.client.workflow.getHandle(zoomReconnectionWorkflowId(id, day)).describe(),
      /not found/i,
      'no reconnection saga for an unreadable row',
    );
    const logged = stack.logs.filter((line) => /"level":50/.test(line) && line.includes(`"tokenId":"${id}"`));
    assert.ok(logged.length > 0, `logged at error with its token id ${id}`);
  }
  assert.ok(!stack.logs.some((line) => ciphertexts.some((c) => line.includes(c))), 'never the ciphertext');
  const kept = await stack.database.db('oauth_service_tokens').whereIn('user_id', [tutors[1], tutors[4]]);
  assert.deepEqual(
    kept.map((r) => r.reconnection_attempts),
    [0, 0],
    'kept, and no attempt counted',
  );
});

test('reading one unreadable row stays loud: the refresh, the access token and a saga’s check throw', async () => {
  const [tutorId] = (await seedZoomConnections(stack, 1, 'unreadable-one')) as [string];
  const { tokens } = stack.container.stores;
  const { getAccessToken, validateToken } = stack.container.services.tokenService;
  const row = (await tokens.findByUser(tutorId))!;
  await encryptWithDroppedKey(tutorId);
  await assert.rejects(tokens.findByUser(tutorId), DecryptionError);
  await assert.rejects(getAccessToken(tutorId), DecryptionError);
  await assert.rejects(validateToken(row.id), DecryptionError, 'never valid, invalid or missing');
});
