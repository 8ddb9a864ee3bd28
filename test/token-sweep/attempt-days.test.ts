import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sqlDate } from '../../src/db/sql-date';
import { seedZoomConnections } from '../support/seed-tokens';
import { useTestStack } from '../support/use-test-stack';
import { randomDay } from '../support/temporal';

// A host east of UTC, where a DATE parsed to local midnight reads as the day before in UTC.
// Node applies a TZ set at run time to every Date made afterwards, node-postgres's included.
process.env.TZ = 'Europe/Berlin';

const stack = useTestStack({ worker: false });

test('the host runs east of UTC for this file', () => {
  assert.equal(new Date('2024-01-15T00:00:00Z').getTimezoneOffset(), -60);
});

test('sqlDate passes a DATE read as a string, and refuses anything else (a Date comes from a pool without our parser)', () => {
  assert.equal(sqlDate('2024-01-15'), '2024-01-15');
  assert.equal(sqlDate(null), null);
  assert.throws(() => sqlDate('15/01/2024'));
  assert.throws(() => sqlDate(new Date(2024, 0, 15)));
});

test('our pools read a DATE column as the plain day PostgreSQL holds', async () => {
  const { rows } = await stack.database.db.raw(`select date '2024-01-15' as d`);
  assert.equal(rows[0].d, '2024-01-15');
});

test('the stores report the day an attempt was counted, as SQL holds it', async () => {
  const [tutorId] = await seedZoomConnections(stack, 1, 'dates-store');
  const { tokens } = stack.container.stores;
  const token = (await tokens.findByUser(tutorId as string))!;
  const day = randomDay();
  await stack.container.services.tokenSweep.handleInvalidToken({
    tokenId: token.id,
    version: token.version,
    day,
    maxAttempts: 3,
  });
  assert.equal((await tokens.findById(token.id))!.lastAttemptCountedOn, day);
});

test('a same-day retry on day 2 of 3 neither counts again nor deletes the token', async () => {
  const [tutorId] = await seedZoomConnections(stack, 1, 'dates-retry');
  const { tokens } = stack.container.stores;
  const token = (await tokens.findByUser(tutorId as string))!;
  await stack.database
    .db('oauth_service_tokens')
    .where({ id: token.id })
    .update({ reconnection_attempts: 1 });
  const input = { tokenId: token.id, version: token.version, day: randomDay(), maxAttempts: 3 };
  const validation = stack.container.services.tokenSweep;
  const first = await validation.handleInvalidToken(input);
  const retry = await validation.handleInvalidToken(input);
  assert.deepEqual([first.outcome, first.attempts], ['reminded', 2]);
  assert.deepEqual([retry.outcome, retry.attempts], ['reminded', 2]);
  assert.ok(await tokens.findById(token.id), 'the token is kept');
});
