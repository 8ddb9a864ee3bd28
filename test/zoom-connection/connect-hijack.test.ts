import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { createReconnectToken } from '../../src/services/zoom-connection/reconnect-token';
import {
  approveAtZoom,
  authorizeZoom,
  confirmGrant,
  connectSessionUrl,
  grantCodeOf,
} from '../support/connect-zoom';
import { RecordingRevocations } from '../support/recording-revocations';
import { useTestStack } from '../support/use-test-stack';

/**
 * The forwarded-link hijack of issue 18: tutor A makes a connect session (or holds a reconnect
 * link) and forwards it; the holder of Zoom account V approves at Zoom, and the platform user
 * logged in on the return page is B. The grant must never land under A's tutor id.
 */
const revocations = new RecordingRevocations();
const stack = useTestStack({ worker: false, grantRevocations: revocations });
beforeEach(() => revocations.clear());

const row = (tutorId: string) =>
  stack.database.db('oauth_service_tokens').where({ user_id: tutorId }).first();
const tokensOf = (tutorId: string) => stack.container.stores.tokens.findByUser(tutorId);

/** V is a tutor here too, connected with their own Zoom account: returns V's Zoom user id. */
async function victim(name: string): Promise<string> {
  const zoomUser = stack.zoom.createUser({ email: `${name}@zoom.example.com` });
  await authorizeZoom(stack, name, zoomUser.id);
  revocations.clear();
  return zoomUser.id;
}

async function assertRefusedAndNothingStored(
  code: string,
  attacker: string,
  victimTutor: string,
  victimZoom: string,
) {
  const victimBefore = await tokensOf(victimTutor);
  const refused = await confirmGrant(stack, code, victimTutor);
  assert.equal(refused.status, 403);
  const body = (await refused.json()) as { error: string; message: string };
  assert.equal(body.error, 'account_mismatch');
  assert.ok(body.message.length > 0);

  assert.equal(await row(attacker), undefined, "nothing under the session's tutor");
  const victimAfter = await tokensOf(victimTutor);
  assert.deepEqual(victimAfter, victimBefore, "V's own connection is untouched");
  assert.deepEqual(revocations.standing(), [`account_mismatch:${victimZoom}`]);
  assert.equal(revocations.drops.at(-1)?.inTransaction, true);
  assert.equal(
    (await confirmGrant(stack, code, attacker)).status,
    410,
    'a refused code cannot be confirmed later',
  );
}

test('a forwarded connect session: confirmed by another platform user it is refused, nothing is stored; the honest flow then works', async () => {
  const zoomV = await victim('tutor-v');
  const { landing } = await approveAtZoom(stack, await connectSessionUrl(stack, 'tutor-a'), zoomV);
  await assertRefusedAndNothingStored(grantCodeOf(landing), 'tutor-a', 'tutor-v', zoomV);

  // The honest flow: A's own session, A's own Zoom account, confirmed by A.
  revocations.clear();
  const zoomA = stack.zoom.createUser({ email: 'tutor-a@zoom.example.com' }).id;
  const honest = await approveAtZoom(stack, await connectSessionUrl(stack, 'tutor-a'), zoomA);
  const confirmed = await confirmGrant(stack, grantCodeOf(honest.landing), 'tutor-a');
  assert.equal(confirmed.status, 200);
  assert.deepEqual(await confirmed.json(), { connected: true, email: 'tutor-a@zoom.example.com' });
  assert.equal((await row('tutor-a'))?.uid, zoomA);
  assert.deepEqual(revocations.standing(), []);
});

test('a forwarded reconnect link: refused the same way, and the link stays usable for its tutor', async () => {
  const zoomW = await victim('tutor-w');
  const link = await createReconnectToken('tutor-b', stack.env.LINK_SIGNING_SECRET, stack.clock.now());
  const linkUrl = `${stack.api.url}/integrations/zoom/connect?reconnect=${encodeURIComponent(link)}`;
  const { landing } = await approveAtZoom(stack, linkUrl, zoomW);
  await assertRefusedAndNothingStored(grantCodeOf(landing), 'tutor-b', 'tutor-w', zoomW);

  // Only a confirmed reconnection uses the link up: its own tutor still reconnects with it.
  revocations.clear();
  const zoomB = stack.zoom.createUser({ email: 'tutor-b@zoom.example.com' }).id;
  const honest = await approveAtZoom(stack, linkUrl, zoomB);
  assert.equal((await confirmGrant(stack, grantCodeOf(honest.landing), 'tutor-b')).status, 200);
  assert.equal((await row('tutor-b'))?.uid, zoomB);
});

test('a reconnect link used by a first confirmed reconnection: a second flow started from it is refused at confirmation (410) and dropped', async () => {
  const zoomC = stack.zoom.createUser({ email: 'tutor-c@zoom.example.com' }).id;
  const link = await createReconnectToken('tutor-c', stack.env.LINK_SIGNING_SECRET, stack.clock.now());
  const linkUrl = `${stack.api.url}/integrations/zoom/connect?reconnect=${encodeURIComponent(link)}`;
  const first = grantCodeOf((await approveAtZoom(stack, linkUrl, zoomC)).landing);
  const second = grantCodeOf((await approveAtZoom(stack, linkUrl, zoomC)).landing);
  assert.equal((await confirmGrant(stack, first, 'tutor-c')).status, 200);
  const reused = await confirmGrant(stack, second, 'tutor-c');
  assert.equal(reused.status, 410);
  assert.equal(((await reused.json()) as { error: string }).error, 'grant_used_reconnect_link');
  assert.deepEqual(revocations.standing(), [`reused_reconnect_link:${zoomC}`]);
  const events = await stack.database
    .db('zoom_connection_events')
    .where({ user_id: 'tutor-c' })
    .pluck('event');
  assert.deepEqual(events, ['connected'], 'one reconnection through the link');

  // Once used, the link no longer even leads to Zoom.
  const reopened = await fetch(linkUrl, { redirect: 'manual' });
  assert.match(reopened.headers.get('location') ?? '', /zoom=error&reason=invalid_reconnect_link/);
});
