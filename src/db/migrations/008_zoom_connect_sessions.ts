import type { Knex } from 'knex';

/**
 * Connect sessions and pending grants (issue 18). A session is made server to server for one
 * tutor and opened once in a browser; the grant Zoom gives back is held, encrypted, until the
 * platform user logged in on the return page confirms it. Only hashes of the URL's session id
 * and of the one-time grant code are kept: a database dump can open nothing.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('zoom_connect_sessions', (t) => {
    t.bigIncrements('id');
    t.text('id_hash').notNullable().unique();
    t.text('user_id').notNullable();
    // The reconnect link (its nonce and expiry) that started it, used up at confirmation.
    t.text('reconnect_nonce');
    t.timestamp('reconnect_expires_at', { useTz: true });
    t.timestamp('expires_at', { useTz: true }).notNullable().index();
    t.timestamp('opened_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('zoom_pending_grants', (t) => {
    t.bigIncrements('id');
    t.text('code_hash').notNullable().unique();
    t.bigInteger('session_id')
      .notNullable()
      .references('id')
      .inTable('zoom_connect_sessions')
      .onDelete('CASCADE');
    t.text('zoom_user_id').notNullable();
    t.text('email');
    // Ciphertexts (KeyRing), bound to this table, their column and the code's hash.
    t.text('code').notNullable();
    t.text('access_token').notNullable();
    t.text('refresh_token').notNullable();
    t.integer('expires_in').notNullable();
    t.timestamp('token_expires_at', { useTz: true }).notNullable();
    // The deferred revocation that drops the grant if nobody confirms it in time.
    t.text('revocation_id').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable().index();
    t.timestamp('finished_at', { useTz: true });
    t.text('outcome'); // confirmed | account_mismatch | reused_reconnect_link | cancelled
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('zoom_pending_grants');
  await knex.schema.dropTableIfExists('zoom_connect_sessions');
}
