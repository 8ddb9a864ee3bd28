import type { Knex } from 'knex';

/** OAuth states and reconnect tokens work once: their nonces are recorded here when used. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('one_time_nonces', (t) => {
    t.text('nonce').primary();
    t.text('purpose').notNullable(); // oauth-state | reconnect
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('one_time_nonces');
}
