import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectZoom } from '../support/connect-zoom';
import { dumpDatabase, tokensHeldBy, tokensSeenByZoom } from '../support/secret-scan';
import { useTestStack } from '../support/use-test-stack';

const stack = useTestStack({ worker: false });

test('no token the emulator issued appears in plaintext in the database or the logs', async () => {
  await connectZoom(stack, 'tutor-s', 'secret@example.com');
  // Force a refresh so rotated tokens are in play too.
  await stack.database
    .db('oauth_service_tokens')
    .where({ user_id: 'tutor-s' })
    .update({ expires_at: new Date(0) });
  await stack.container.services.tokenService.getAccessToken('tutor-s');
  await stack.container.services.tokenService.validateToken(
    (await stack.container.services.tokenService.getConnection('tutor-s'))!.tokenId,
  );

  // With the tokens held now: the newest refresh token was never sent to Zoom.
  const secrets = [
    ...tokensSeenByZoom(stack.zoom.requests.all()),
    ...(await tokensHeldBy(stack.container.stores.tokens, ['tutor-s'])),
  ];
  assert.ok(secrets.length >= 5, `found ${secrets.length} tokens to look for`);
  const database = await dumpDatabase(stack.database.db);
  const logs = stack.logs.join('\n');
  for (const secret of secrets) {
    assert.ok(!database.includes(secret), 'a token is in the database in plaintext');
    assert.ok(!logs.includes(secret), 'a token is in the logs in plaintext');
  }
});
