import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { scrubJson, scrubText, type PersonToErase } from '../../src/db/stores/personal-data-tables';
import { erasurePattern } from '../../src/services/erasure/forget-person';
import { createTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase(2);
  await database.db.schema.createTable('scrub_probe', (t) => {
    t.increments('id');
    t.text('note');
    t.jsonb('data');
  });
});
after(() => database.close());

const person = (values: string[]): PersonToErase => ({
  userId: 'u1',
  pattern: erasurePattern(values),
  emailHashes: [],
});

test('the pattern matches names with regex characters literally, whole emails before the names inside them, in any case', () => {
  const pattern = erasurePattern(['Jo (Jr.) Smith+', 'jo', 'JO@EXAMPLE.ORG'.toLowerCase()]);
  const regex = new RegExp(pattern as string, 'gi');
  assert.equal(
    'Mail JO@Example.org about Jo (Jr.) Smith+, not Jo Xr. Smith'.replace(regex, '#'),
    'Mail # about #, not # Xr. Smith',
  );
  assert.equal(erasurePattern([]), null);
});

test('text and JSON columns lose every mention and stay valid; other rows and a repeat change nothing', async () => {
  const p = person(['Ana "Nana" Lima', 'ana@example.org']);
  const [mine, theirs] = await database
    .db('scrub_probe')
    .insert([
      {
        note: 'Ana "Nana" Lima <ANA@example.org>',
        data: { to: 'ana@example.org', names: ['Ana "Nana" Lima', 'Bo'] },
      },
      { note: 'Bo only', data: { to: 'bo@example.org' } },
    ])
    .returning('id');
  const all = (q: import('knex').Knex.QueryBuilder) => q;
  const counts = await database.db.transaction(async (trx) => [
    await scrubText(trx, p, 'scrub_probe', 'note', all),
    await scrubJson(trx, p, 'scrub_probe', 'data', all),
  ]);
  assert.deepEqual(counts, [1, 1]);
  const rows = await database.db('scrub_probe').orderBy('id');
  assert.deepEqual(
    rows.map((r) => [r.id, r.note, r.data]),
    [
      [mine?.id, '[erased] <[erased]>', { to: '[erased]', names: ['[erased]', 'Bo'] }],
      [theirs?.id, 'Bo only', { to: 'bo@example.org' }],
    ],
  );
  const again = await database.db.transaction(async (trx) => [
    await scrubText(trx, p, 'scrub_probe', 'note', all),
    await scrubJson(trx, p, 'scrub_probe', 'data', all),
    await scrubText(trx, person([]), 'scrub_probe', 'note', all),
  ]);
  assert.deepEqual(again, [0, 0, 0]);
});
