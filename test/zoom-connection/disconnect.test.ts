import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, booking, connectZoom, meetingRow, waitFor } from '../lessons/lesson-helpers';
import { platformJwt } from '../support/browser';
import { useTestStack } from '../support/use-test-stack';

const stack = useTestStack();

const disconnect = async (userId: string): Promise<number> => {
  const jwt = await platformJwt(stack.env.PLATFORM_JWT_SECRET, userId, { issuedAt: stack.clock.now() });
  const res = await fetch(`${stack.api.url}/integrations/zoom`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${jwt}` },
  });
  return res.status;
};

test('a disconnect retried after its first try removed the token but failed to move the lessons still moves them', async () => {
  const b = booking();
  await connectZoom(stack, b.tutor.id);
  assert.equal((await api(stack).book(b)).status, 202);
  assert.equal((await waitFor('row', () => meetingRow(stack, b.id))).provider, 'zoom');
  // The first try: the token is gone, then moving the lessons failed (say Temporal was away) → 5xx.
  assert.equal(await stack.container.services.tokenService.disconnect(b.tutor.id), true);

  assert.equal(await disconnect(b.tutor.id), 204);
  await waitFor('moved to Daily', async () => (await meetingRow(stack, b.id))?.provider === 'daily');
});

test('disconnecting a tutor who never connected is a 204 that changes nothing', async () => {
  const b = booking();
  assert.equal((await api(stack).book(b)).status, 202);
  assert.equal((await waitFor('row', () => meetingRow(stack, b.id))).provider, 'daily');
  assert.equal(await disconnect(b.tutor.id), 204);
  assert.equal((await stack.database.db('zoom_connection_events').where({ user_id: b.tutor.id })).length, 0);
});

test('a disconnect hours after the last refresh still revokes the grant at Zoom', async () => {
  const zoomUserId = await connectZoom(stack, 'tutor-revoke-late');
  // Hours later, for us and for Zoom: the stored access token has expired, and Zoom has
  // forgotten it (another tutor's connection makes the emulator prune expired tokens).
  stack.clock.advance(2 * 3600_000);
  stack.zoom.clock.advance(2 * 3600_000);
  try {
    await connectZoom(stack, 'tutor-revoke-other');
    assert.equal(await disconnect('tutor-revoke-late'), 204);
    // The revoke runs after the answer, durably: wait for it.
    const outcome = await waitFor('the revocation', async () => {
      const row = await stack.database
        .db('zoom_grant_revocations')
        .where({ user_id: 'tutor-revoke-late', reason: 'disconnected' })
        .first('outcome');
      return row?.outcome as string | undefined;
    });
    assert.equal(outcome, 'revoked');
    const left = await stack.zoom.deauthorizeUser(zoomUserId, { sendWebhook: false });
    assert.equal(left?.revokedGrants, 0, 'no grant of that tutor is left alive at Zoom');
  } finally {
    stack.clock.advance(-2 * 3600_000);
    stack.zoom.clock.reset();
  }
});
