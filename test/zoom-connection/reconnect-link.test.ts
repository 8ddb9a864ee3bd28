import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createReconnectToken } from '../../src/services/zoom-connection/reconnect-token';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
before(async () => (stack = await startTestStack({ worker: false })));
after(async () => stack?.close());

const connectWith = (token: string) =>
  fetch(`${stack.api.url}/integrations/zoom/connect?reconnect=${encodeURIComponent(token)}`, {
    redirect: 'manual',
  });

test('the reconnect link from a ReconnectZoom email starts the flow once, and expires after 7 days', async () => {
  const token = await createReconnectToken('tutor-r', stack.env.LINK_SIGNING_SECRET, stack.clock.now());
  const first = await connectWith(token);
  assert.equal(first.status, 302);
  assert.match(first.headers.get('location') ?? '', /\/oauth\/authorize\?/);
  assert.equal((await connectWith(token)).status, 401, 'it works once');

  const old = await createReconnectToken(
    'tutor-r',
    stack.env.LINK_SIGNING_SECRET,
    new Date(Date.now() - 8 * 24 * 3600_000),
  );
  assert.equal((await connectWith(old)).status, 401, 'it expires after 7 days');
  const forged = await createReconnectToken(
    'tutor-r',
    'another-secret-that-is-long-enough-123',
    stack.clock.now(),
  );
  assert.equal((await connectWith(forged)).status, 401);
});
