import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KeyRing, generateKey } from '../../src/crypto/key-ring';
import { createStores } from '../../src/db/stores';
import { createOpsCommands } from '../../src/ops/commands';
import { connectZoom } from '../lessons/lesson-helpers';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
before(async () => (stack = await startTestStack()));
after(async () => stack?.close());

test('ops: a manual sweep reports progress, history shows the connection, reencrypt moves old values to the new key', async () => {
  await connectZoom(stack, 'tutor-ops');
  const lines: string[] = [];
  const ops = createOpsCommands(stack.container, (line) => lines.push(line));
  const progress: number[] = [];
  const summary = (await ops.sweep((done) => progress.push(done))) as { validated: number; valid: number };
  assert.equal(summary.validated, 1);
  assert.equal(summary.valid, 1);

  await ops.history('tutor-ops');
  assert.ok(lines.some((l) => /connected/.test(l)));

  // Rotate: the current key becomes an old one; reencrypt rewrites every value under the new key.
  const oldKey = stack.env.TOKEN_ENCRYPTION_KEY;
  const rotated = new KeyRing(generateKey(), [oldKey]);
  const rotatedOps = createOpsCommands(
    { ...stack.container, keyRing: rotated, stores: createStores(stack.database.db, rotated) },
    (line) => lines.push(line),
  );
  assert.equal(await rotatedOps.reencrypt(), 1);
  const row = await stack.database.db('oauth_service_tokens').where({ user_id: 'tutor-ops' }).first();
  for (const column of ['access_token', 'refresh_token', 'code'])
    assert.equal(rotated.isStale(row[column]), false, column);
  assert.equal(await rotatedOps.reencrypt(), 0, 'a second run has nothing left to do');
});
