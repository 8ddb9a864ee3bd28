import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createReconnectToken } from '../../src/services/zoom-connection/reconnect-token';
import { Browser, location } from '../support/browser';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
before(async () => (stack = await startTestStack({ worker: false })));
after(async () => stack?.close());

const reconnectUrl = (token: string) =>
  `${stack.api.url}/integrations/zoom/connect?reconnect=${encodeURIComponent(token)}`;
const open = (token: string) => fetch(reconnectUrl(token), { redirect: 'manual' });

test('opening a reconnect link (as mail scanners do) does not use it up; the reconnection it completes does', async () => {
  const zoomUser = stack.zoom.createUser({ email: 'tutor-r@zoom.example.com' });
  const token = await createReconnectToken('tutor-r', stack.env.LINK_SIGNING_SECRET, stack.clock.now());
  for (let scanner = 0; scanner < 2; scanner++) {
    const scanned = await open(token);
    assert.equal(scanned.status, 302, 'a prefetch leads to Zoom and spends nothing');
    assert.match(scanned.headers.get('location') ?? '', /\/oauth\/authorize\?/);
  }

  // The tutor, in a browser of their own, approves: the reconnection completes and uses the link.
  stack.zoom.setConsent({ decision: 'approve', userId: zoomUser.id, for: 'next' });
  const browser = new Browser();
  const start = await browser.get(reconnectUrl(token));
  assert.equal((await browser.get(location(await browser.get(location(start))))).status, 200);
  assert.equal(await stack.container.services.tokenService.isZoomConnected('tutor-r'), true);
  assert.equal((await open(token)).status, 401, 'it works once');
});

test('a reconnect link whose flow was started twice reconnects once: the second completion is refused', async () => {
  const zoomUser = stack.zoom.createUser({ email: 'tutor-r2@zoom.example.com' });
  const token = await createReconnectToken('tutor-r2', stack.env.LINK_SIGNING_SECRET, stack.clock.now());
  const [first, second] = [new Browser(), new Browser()];
  const starts = [await first.get(reconnectUrl(token)), await second.get(reconnectUrl(token))];
  const completions = [];
  for (const [i, browser] of [first, second].entries()) {
    stack.zoom.setConsent({ decision: 'approve', userId: zoomUser.id, for: 'next' });
    completions.push(await browser.get(location(await browser.get(location(starts[i]!)))));
  }
  assert.equal(completions[0]?.status, 200);
  assert.notEqual(completions[1]?.status, 200, 'the link was used by the first');
  const events = await stack.database
    .db('zoom_connection_events')
    .where({ user_id: 'tutor-r2' })
    .pluck('event');
  assert.equal(events.filter((e) => e === 'connected' || e === 'reconnected').length, 1);
});

test('a reconnect link expires after 7 days, and one signed with another secret never works', async () => {
  const old = await createReconnectToken(
    'tutor-r',
    stack.env.LINK_SIGNING_SECRET,
    new Date(Date.now() - 8 * 24 * 3600_000),
  );
  assert.equal((await open(old)).status, 401, 'it expires after 7 days');
  const forged = await createReconnectToken(
    'tutor-r',
    'another-secret-that-is-long-enough-123',
    stack.clock.now(),
  );
  assert.equal((await open(forged)).status, 401);
});
