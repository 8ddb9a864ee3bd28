import type { Knex } from 'knex';

/**
 * The tokens the reconnection saga deleted, by the row it validated (id + version): a retried
 * "delete" step whose first attempt did the work finds its answer here, not an absent row.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('reconnection_deletions', (t) => {
    t.bigInteger('token_id').primary();
    t.integer('token_version').notNullable();
    t.text('user_id').notNullable();
    t.date('day').notNullable();
    t.integer('attempts').notNullable();
    t.timestamp('deleted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('reconnection_deletions');
}
