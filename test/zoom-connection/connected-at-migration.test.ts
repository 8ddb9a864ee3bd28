import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createEmptyTestDatabase, type TestDatabase } from '../support/database';

let database: TestDatabase;
before(async () => (database = await createEmptyTestDatabase()));
after(async () => database?.close());

const at = (iso: string) => new Date(iso);

test('connected_at of existing token rows is their last (re)connection, not a refresh', async () => {
  const db = database.db;
  for (const name of [
    '001_initial_schema',
    '002_one_time_nonces',
    '003_email_send_states',
    '004_reconnection_deletions',
  ])
    await db.migrate.up({ name });
  await db('users').insert([{ id: 'reconnected' }, { id: 'no-events' }]);
  const zoom = db('oauth_service_providers').select('id').where({ name: 'zoom' });
  const row = (userId: string) => ({
    user_id: userId,
    uid: `zoom-${userId}`,
    access_token: 'x',
    refresh_token: 'x',
    expires_in: 3600,
    expires_at: at('2030-01-01T00:00:00Z'),
    oauth_service_provider_id: zoom,
    created_at: at('2024-01-01T00:00:00Z'),
    updated_at: at('2024-03-01T00:00:00Z'), // the last refresh
  });
  await db('oauth_service_tokens').insert([row('reconnected'), row('no-events')]);
  await db('zoom_connection_events').insert([
    { user_id: 'reconnected', event: 'connected', at: at('2024-01-01T00:00:00Z') },
    { user_id: 'reconnected', event: 'reconnected', at: at('2024-02-01T00:00:00Z') },
    { user_id: 'reconnected', event: 'refreshed', at: at('2024-03-01T00:00:00Z') },
  ]);

  await db.migrate.up({ name: '005_zoom_connected_at' });
  const connectedAt = async (userId: string) =>
    (await db('oauth_service_tokens').where({ user_id: userId }).first()).connected_at as Date;
  assert.deepEqual(await connectedAt('reconnected'), at('2024-02-01T00:00:00Z'));
  assert.deepEqual(await connectedAt('no-events'), at('2024-01-01T00:00:00Z'));

  await db.migrate.down({ name: '005_zoom_connected_at' });
  await db.migrate.up({ name: '005_zoom_connected_at' });
});
