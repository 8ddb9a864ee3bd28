import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RevocationSummary } from '../../src/db/stores/grant-revocations-store';
import { createGrantRevocationsStore } from '../../src/db/stores/grant-revocations-store';
import { createOpsCommands } from '../../src/ops/commands';
import { createGrantRevocations } from '../../src/services/revocation/create-grant-revocations';
import {
  GrantAlreadyRevokedError,
  type DroppedGrant,
  type RevocationReason,
} from '../../src/services/zoom-connection/grant-revocations';
import { GRANT_REVOCATIONS_WORKFLOW_TYPE } from '../../src/workflows/definitions/revocation';
import { waitFor } from '../lessons/lesson-helpers';
import { platformJwt } from '../support/browser';
import { dumpDatabase } from '../support/secret-scan';
import { seedZoomConnections } from '../support/seed-tokens';
import { useTestStack } from '../support/use-test-stack';
import { randomDay, uniqueName } from '../support/temporal';

/**
 * Every dropped Zoom grant is revoked durably, with a live token, and only when no stored
 * connection holds the same Zoom user (a revoke removes the app for that Zoom user at Zoom).
 * The real processor: its schedule (every 2 s here), the worker, PostgreSQL and the emulator.
 */

const stack = useTestStack({
  env: { REVOCATION_POLL_SECONDS: '2', REVOCATION_RETRY_SECONDS: '1' },
});

const store = () => createGrantRevocationsStore(stack.database.db, stack.container.keyRing);
const tokens = () => stack.container.stores.tokens;
const revocationsOf = (userId: string) =>
  stack.database.db('zoom_grant_revocations').where({ user_id: userId }).orderBy('created_at');

/** Waits for the tutor's (only) revocation to end; answers it. */
async function doneFor(userId: string): Promise<RevocationSummary> {
  const id = await waitFor(`a revocation for ${userId}`, async () => (await revocationsOf(userId))[0]?.id);
  return waitFor(`revocation ${id} done`, async () => {
    const r = await store().find(id as string);
    return r?.outcome ? r : undefined;
  });
}

/** A pass of the processor now, as the schedule starts it; answers what it did. */
const pass = () =>
  stack.temporal.client.workflow.execute(GRANT_REVOCATIONS_WORKFLOW_TYPE, {
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    workflowId: uniqueName('revocation-pass'),
    args: [{}],
  });

const alive = async (accessToken: string): Promise<boolean> => {
  try {
    await stack.container.zoomApi.getMe(accessToken);
    return true;
  } catch {
    return false;
  }
};

async function disconnect(userId: string): Promise<number> {
  const res = await fetch(`${stack.api.url}/integrations/zoom`, {
    method: 'DELETE',
    headers: {
      authorization: `Bearer ${await platformJwt(stack.env.PLATFORM_JWT_SECRET, userId, { issuedAt: stack.clock.now() })}`,
    },
  });
  return res.status;
}

/** A connected tutor and their stored row (tokens in plaintext, for the assertions). */
async function connected(prefix: string) {
  const [tutorId] = (await seedZoomConnections(stack, 1, uniqueName(prefix))) as [string];
  return { tutorId, row: (await tokens().findByUser(tutorId))! };
}

/** A grant of that Zoom user that nobody stores (a pending grant, a failing getMe's). */
function looseGrant(zoomUserId: string) {
  return stack.zoom.model.tokens.createGrant(zoomUserId, stack.env.ZOOM_CLIENT_ID, 'user:read');
}

/** A new Zoom user's loose grant, for a new tutor, and the DroppedGrant it makes. */
function looseGrantOfNewUser(prefix: string) {
  const user = stack.zoom.createUser({ email: `${uniqueName(prefix)}@zoom.example.com` });
  const tokens = looseGrant(user.id);
  const tutorId = uniqueName(prefix);
  const dropped = (reason: RevocationReason, zoomUserId: string | null = user.id): DroppedGrant => ({
    zoomUserId,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    reason,
    userId: tutorId,
  });
  return { user, tokens, tutorId, dropped };
}

test('a disconnect whose revoke fails with 5xx keeps retrying, and revokes later', async () => {
  const { tutorId, row } = await connected('retry');
  const fault = stack.zoom.faults.add({ route: 'POST /oauth/revoke', status: 503, firstN: 2 });
  try {
    assert.equal(await disconnect(tutorId), 204);
    assert.equal(await tokens().findByUser(tutorId), undefined, 'the connection is gone at once');
    const [pending] = await revocationsOf(tutorId);
    assert.equal(pending?.reason, 'disconnected', 'and its grant was dropped in the same commit');

    const done = await doneFor(tutorId);
    assert.equal(done.outcome, 'revoked');
    assert.equal(done.attempts, 3, 'two 503s, then the revoke');
    assert.match(done.lastError ?? '', /503|Injected fault/);
    assert.equal(await alive(row.accessToken), false, 'the grant is dead at Zoom');
  } finally {
    stack.zoom.faults.remove(fault);
  }
});

test('an expired access token is refreshed (and the new pair stored) before the revoke', async () => {
  const { tutorId, row } = await connected('expired');
  // Hours later, for us and for Zoom: a revoke with the stored access token would name nothing.
  stack.clock.advance(2 * 3600_000);
  stack.zoom.clock.advance(2 * 3600_000);
  try {
    const refreshesBefore = stack.zoom.refreshCount(row.uid);
    const revokesBefore = stack.zoom.requests.count({ method: 'POST', path: '/oauth/revoke' });
    assert.equal(await disconnect(tutorId), 204);
    assert.equal((await doneFor(tutorId)).outcome, 'revoked');
    assert.equal(stack.zoom.refreshCount(row.uid) - refreshesBefore, 1);
    const calls = stack.zoom.requests.all().map((r) => `${r.method} ${r.path}`);
    assert.ok(
      calls.lastIndexOf('POST /oauth/token') < calls.lastIndexOf('POST /oauth/revoke'),
      'the refresh came first',
    );
    assert.equal(stack.zoom.requests.count({ method: 'POST', path: '/oauth/revoke' }) - revokesBefore, 1);
    const left = await stack.zoom.deauthorizeUser(row.uid, { sendWebhook: false });
    assert.equal(left?.revokedGrants, 0, 'no grant of that Zoom user is left alive at Zoom');
  } finally {
    stack.clock.advance(-2 * 3600_000);
    stack.zoom.clock.reset();
  }
});

test("a Zoom user still held by another tutor's connection is forgotten, not revoked; that connection keeps working", async () => {
  const a = await connected('shared-a');
  // Tutor B connected the same Zoom account (a product choice: allowed).
  const issued = looseGrant(a.row.uid);
  const tutorB = uniqueName('shared-b');
  await stack.database.db('users').insert({ id: tutorB, email: `${tutorB}@example.com`, name: tutorB });
  await tokens().saveConnection({
    userId: tutorB,
    uid: a.row.uid,
    email: a.row.email,
    code: 'seeded',
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    expiresIn: issued.expiresIn,
    expiresAt: new Date(Date.now() + issued.expiresIn * 1000),
  });
  const revokesBefore = stack.zoom.requests.count({ method: 'POST', path: '/oauth/revoke' });

  assert.equal(await disconnect(a.tutorId), 204);
  assert.equal((await doneFor(a.tutorId)).outcome, 'forgotten');
  assert.equal(stack.zoom.requests.count({ method: 'POST', path: '/oauth/revoke' }), revokesBefore);
  const tokenB = await stack.container.services.tokenService.getAccessToken(tutorB);
  assert.equal((await stack.container.zoomApi.getMe(tokenB)).id, a.row.uid, "B's connection works");
  assert.ok(await tokens().findByUser(tutorB), 'and is still stored');
  const [stored] = await stack.database.db('zoom_grant_revocations').where({ user_id: a.tutorId });
  assert.equal(stored.access_token, null, 'a finished revocation keeps no token');
});

test('a pending grant awaiting its confirmation holds its Zoom user too: a disconnect of that user is forgotten', async () => {
  const { tutorId, row } = await connected('pending-holds');
  const pending = looseGrant(row.uid); // the same Zoom account, approved for a tutor who has not confirmed yet
  const pendingId = await stack.container.services.grantRevocations.drop(
    { zoomUserId: row.uid, ...pending, reason: 'pending_expired', userId: uniqueName('confirming') },
    undefined,
    { notBefore: new Date(stack.clock.now().getTime() + 10 * 60_000) },
  );
  assert.equal(await disconnect(tutorId), 204);
  assert.equal((await doneFor(tutorId)).outcome, 'forgotten');
  assert.ok(await alive(pending.accessToken), 'the pending grant can still be confirmed');
  await stack.container.services.grantRevocations.withdraw(pendingId);
});

test('a grant dropped without its Zoom user (a failing getMe) learns it with GET /users/me, then is revoked', async () => {
  const { user, tokens: issued, tutorId, dropped } = looseGrantOfNewUser('nameless');
  const id = await stack.container.services.grantRevocations.drop(dropped('get_me_failed', null));
  const done = await doneFor(tutorId);
  assert.equal(done.id, id);
  assert.equal(done.outcome, 'revoked');
  assert.equal(done.zoomUserId, user.id);
  assert.equal(await alive(issued.accessToken), false);
  await assert.rejects(
    stack.container.services.grantRevocations.withdraw(id),
    GrantAlreadyRevokedError,
    'too late to withdraw: the grant is dead',
  );
});

test('a drop whose wake-up is lost (the API died after its commit) and made while no worker runs is revoked once one runs', async () => {
  const revocations = createGrantRevocations({
    ...stack.container,
    store: stack.container.stores.grantRevocations,
    wake: async () => {},
  });
  const { tokens: issued, tutorId, dropped } = looseGrantOfNewUser('unwoken');
  await stack.stopWorker();
  try {
    await stack.database.db.transaction((trx) => revocations.drop(dropped('disconnected'), trx));
    await new Promise((r) => setTimeout(r, 3000)); // a poll or two with no worker
    assert.equal((await revocationsOf(tutorId))[0]?.outcome, null);
  } finally {
    await stack.startWorker();
  }
  assert.equal((await doneFor(tutorId)).outcome, 'revoked', "the schedule's pass found it");
  assert.equal(await alive(issued.accessToken), false);
});

test('a drop with notBefore waits for it (ManualClock); a withdraw before it prevents the revoke', async () => {
  const { grantRevocations } = stack.container.services;
  const [kept, expired] = [looseGrantOfNewUser('pending'), looseGrantOfNewUser('pending')];
  const notBefore = new Date(stack.clock.now().getTime() + 10 * 60_000);
  const drop = (grant: typeof kept) =>
    grantRevocations.drop(grant.dropped('pending_expired'), undefined, { notBefore });
  const keptId = await drop(kept);
  const expiredId = await drop(expired);

  await pass();
  assert.equal((await store().find(expiredId))?.outcome, null, 'not processed before notBefore');
  assert.equal((await store().find(expiredId))?.attempts, 0);
  assert.ok(await alive(expired.tokens.accessToken));

  // Confirmed in time: withdrawn in the transaction that keeps the grant.
  await stack.database.db.transaction((trx) => grantRevocations.withdraw(keptId, trx));
  stack.clock.advance(12 * 60_000);
  try {
    await pass();
    assert.equal((await store().find(keptId))?.outcome, 'withdrawn');
    assert.equal((await store().find(expiredId))?.outcome, 'revoked');
    assert.ok(await alive(kept.tokens.accessToken), 'the confirmed grant lives');
    assert.equal(await alive(expired.tokens.accessToken), false, 'the unconfirmed one is revoked');
  } finally {
    stack.clock.advance(-12 * 60_000);
  }
});

test('a deauthorization drops the grant, and the processor finds it already dead', async () => {
  const { tutorId, row } = await connected('deauthorized');
  const revokesBefore = stack.zoom.requests.count({ method: 'POST', path: '/oauth/revoke' });
  await stack.zoom.deauthorizeUser(row.uid); // revokes at Zoom, then posts app_deauthorized
  const done = await doneFor(tutorId);
  assert.equal(done.reason, 'deauthorized');
  assert.equal(done.outcome, 'already_dead');
  assert.equal(await tokens().findByUser(tutorId), undefined);
  assert.equal(stack.zoom.requests.count({ method: 'POST', path: '/oauth/revoke' }), revokesBefore);
});

test("the daily check's deletion at the maximum drops the validated grant in the same commit", async () => {
  const { tutorId, row } = await connected('saga-max');
  await stack.database.db('oauth_service_tokens').where({ id: row.id }).update({ reconnection_attempts: 2 });
  const handled = await stack.container.services.tokenSweep.handleInvalidToken({
    tokenId: row.id,
    version: row.version,
    day: randomDay(),
    maxAttempts: 3,
  });
  assert.equal(handled.outcome, 'deleted');
  const [dropped] = await revocationsOf(tutorId);
  assert.equal(dropped?.reason, 'max_reconnection_attempts');
  assert.equal(dropped?.zoom_user_id, row.uid);
  assert.equal((await doneFor(tutorId)).outcome, 'revoked');
  assert.equal(await alive(row.accessToken), false);
});

test('a revocation that cannot be decrypted waits its backoff with the reason, instead of blocking every pass', async () => {
  const { tutorId, dropped } = looseGrantOfNewUser('unreadable');
  const other = looseGrantOfNewUser('unreadable-other');
  const far = { notBefore: new Date(stack.clock.now().getTime() + 3600_000) };
  const { grantRevocations } = stack.container.services;
  const id = await grantRevocations.drop(dropped('disconnected'), undefined, far);
  const otherId = await grantRevocations.drop(other.dropped('disconnected'), undefined, far);
  // A value moved from another row fails its authentication (bound to table, column and row).
  const [moved] = await stack.database.db('zoom_grant_revocations').where({ id: otherId });
  await stack.database
    .db('zoom_grant_revocations')
    .where({ id })
    .update({ access_token: moved.access_token, next_attempt_at: stack.clock.now() });
  await pass();
  const r = await store().find(id);
  assert.equal(r?.outcome, null);
  assert.equal(r?.attempts, 1);
  assert.match(r?.lastError ?? '', /failed authentication/);
  assert.ok(
    (r?.nextAttemptAt.getTime() ?? 0) > stack.clock.now().getTime(),
    'its next attempt is booked later',
  );
  assert.ok(!stack.logs.join('\n').includes(dropped('disconnected').accessToken));
  for (const revocationId of [id, otherId]) await grantRevocations.withdraw(revocationId).catch(() => {});
  assert.equal((await revocationsOf(tutorId))[0]?.outcome, null, 'an attempted one is not withdrawn');
});

test('no token in plaintext in the revocations table; ops lists the pending ones without secrets', async () => {
  const { user, tokens: issued, tutorId, dropped } = looseGrantOfNewUser('listed');
  const id = await stack.container.services.grantRevocations.drop(dropped('account_mismatch'), undefined, {
    notBefore: new Date(stack.clock.now().getTime() + 3600_000),
  });
  const [stored] = await stack.database.db('zoom_grant_revocations').where({ id });
  assert.match(stored.access_token, /^v1\./);
  assert.match(stored.refresh_token, /^v1\./);
  const database = await dumpDatabase(stack.database.db);
  assert.ok(!database.includes(issued.accessToken) && !database.includes(issued.refreshToken));

  const lines: string[] = [];
  const listed = await createOpsCommands(stack.container, (line) => lines.push(line)).revocations();
  assert.ok(listed.some((r) => r.id === id));
  const line = lines.find((l) => l.startsWith(id)) ?? '';
  for (const part of ['account_mismatch', `user=${tutorId}`, `zoom=${user.id}`, 'attempts=0'])
    assert.ok(line.includes(part), `${part} in: ${line}`);
  assert.ok(!lines.join('\n').includes(issued.accessToken));
  assert.ok(!stack.logs.join('\n').includes(issued.accessToken), 'nor in the logs');
  await stack.container.services.grantRevocations.withdraw(id);
});
