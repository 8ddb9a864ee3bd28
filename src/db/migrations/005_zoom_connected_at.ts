import type { Knex } from 'knex';

/**
 * `connected_at` dates the grant a token row holds: set when the tutor (re)connects, never by a
 * refresh. A deauthorization acts only on grants made before it, so a redelivered
 * `app_deauthorized` cannot delete a connection made since. Existing rows take the time of their
 * last connected/reconnected event (written in the same transaction as the row), else created_at.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oauth_service_tokens', (t) => {
    t.timestamp('connected_at', { useTz: true });
  });
  await knex.raw(`
    UPDATE oauth_service_tokens t SET connected_at = COALESCE(
      (SELECT max(e.at) FROM zoom_connection_events e
        WHERE e.user_id = t.user_id AND e.event IN ('connected', 'reconnected')),
      t.created_at)`);
  await knex.raw(
    'ALTER TABLE oauth_service_tokens ALTER COLUMN connected_at SET DEFAULT now(), ALTER COLUMN connected_at SET NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('oauth_service_tokens', (t) => {
    t.dropColumn('connected_at');
  });
}
