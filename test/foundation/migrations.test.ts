import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { migrateLatest, migrateRollbackAll } from '../../src/db/knex';
import { createEmptyTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
before(async () => (database = await createEmptyTestDatabase()));
after(async () => database?.close());

async function tables(): Promise<string[]> {
  const rows = await database
    .db('information_schema.tables')
    .where({ table_schema: 'public' })
    .pluck('table_name');
  return rows.filter((t: string) => !t.startsWith('knex_')).sort();
}

async function columns(table: string): Promise<string[]> {
  return database
    .db('information_schema.columns')
    .where({ table_schema: 'public', table_name: table })
    .pluck('column_name');
}

test('migrations go up, down and up again', async () => {
  await migrateLatest(database.db);
  const expected = [
    'lessons',
    'meetings',
    'oauth_service_providers',
    'oauth_service_tokens',
    'one_time_nonces',
    'person_erasures',
    'platform_events',
    'rate_limits',
    'reconnection_deletions',
    'sent_emails',
    'users',
    'zoom_connect_sessions',
    'zoom_connection_events',
    'zoom_grant_revocations',
    'zoom_pending_grants',
  ];
  assert.deepEqual(await tables(), expected);
  await migrateRollbackAll(database.db);
  assert.deepEqual(await tables(), []);
  await migrateLatest(database.db);
  assert.deepEqual(await tables(), expected);
});

test("the seed's tables keep the seed's column names", async () => {
  await migrateLatest(database.db);
  const tokenColumns = await columns('oauth_service_tokens');
  for (const c of [
    'uid',
    'code',
    'access_token',
    'refresh_token',
    'expires_in',
    'email',
    'oauth_service_provider_id',
    'user_id',
    'reconnection_attempts',
  ]) {
    assert.ok(tokenColumns.includes(c), `oauth_service_tokens.${c}`);
  }
  const meetingColumns = await columns('meetings');
  for (const c of [
    'meeting_id',
    'password',
    'join_url',
    'participant_join_url',
    'oauth_service_provider_id',
    'lesson_id',
  ]) {
    assert.ok(meetingColumns.includes(c), `meetings.${c}`);
  }
  const providers = await database.db('oauth_service_providers').orderBy('name').pluck('name');
  assert.deepEqual(providers, ['daily', 'zoom']);
});
