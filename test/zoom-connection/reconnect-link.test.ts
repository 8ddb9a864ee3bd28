import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createReconnectToken } from '../../src/services/zoom-connection/reconnect-token';
import { approveAtZoom, confirmGrant, grantCodeOf } from '../support/connect-zoom';
import { useTestStack } from '../support/use-test-stack';

const stack = useTestStack({ worker: false });

const reconnectUrl = (token: string) =>
  `${stack.api.url}/integrations/zoom/connect?reconnect=${encodeURIComponent(token)}`;
const open = (token: string) => fetch(reconnectUrl(token), { redirect: 'manual' });
const refusedReason = async (token: string) =>
  new URL((await open(token)).headers.get('location') ?? 'http://x/').searchParams.get('reason');

test('opening a reconnect link (as mail scanners do) does not use it up; the reconnection confirmed through it does', async () => {
  const zoomUser = stack.zoom.createUser({ email: 'tutor-r@zoom.example.com' });
  const token = await createReconnectToken('tutor-r', stack.env.LINK_SIGNING_SECRET, stack.clock.now());
  for (let scanner = 0; scanner < 2; scanner++) {
    const scanned = await open(token);
    assert.equal(scanned.status, 302, 'a prefetch leads to Zoom and spends nothing');
    assert.match(scanned.headers.get('location') ?? '', /\/oauth\/authorize\?/);
  }

  // The tutor, in a browser of their own, approves: an abandoned attempt spends nothing either.
  grantCodeOf((await approveAtZoom(stack, reconnectUrl(token), zoomUser.id)).landing);
  const { landing } = await approveAtZoom(stack, reconnectUrl(token), zoomUser.id);
  assert.equal((await confirmGrant(stack, grantCodeOf(landing), 'tutor-r')).status, 200);
  assert.equal(await stack.container.services.tokenService.isZoomConnected('tutor-r'), true);
  assert.equal(await refusedReason(token), 'invalid_reconnect_link', 'it works once');
});

test('a reconnect link is usable for 7 days, and one signed with another secret never works', async () => {
  const zoomUser = stack.zoom.createUser({ email: 'tutor-r7@zoom.example.com' });
  const token = await createReconnectToken('tutor-r7', stack.env.LINK_SIGNING_SECRET, stack.clock.now());
  stack.clock.advance(7 * 24 * 3600_000 - 60_000);
  try {
    const { landing } = await approveAtZoom(stack, reconnectUrl(token), zoomUser.id);
    assert.equal(
      (await confirmGrant(stack, grantCodeOf(landing), 'tutor-r7')).status,
      200,
      'still fine on day 7',
    );
  } finally {
    stack.clock.advance(-(7 * 24 * 3600_000 - 60_000));
  }
  const old = await createReconnectToken(
    'tutor-r',
    stack.env.LINK_SIGNING_SECRET,
    new Date(stack.clock.now().getTime() - 8 * 24 * 3600_000),
  );
  assert.equal(await refusedReason(old), 'invalid_reconnect_link', 'it expires after 7 days');
  const forged = await createReconnectToken(
    'tutor-r',
    'another-secret-that-is-long-enough-123',
    stack.clock.now(),
  );
  assert.equal(await refusedReason(forged), 'invalid_reconnect_link');
});
