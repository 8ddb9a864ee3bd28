import type { Knex } from 'knex';

/**
 * The counters of the API's rate limits (src/api/rate-limit), shared by every API process. The
 * columns are the ones rate-limiter-flexible's RateLimiterPostgres reads and writes; it is told the
 * table exists, so it never creates one itself. `expire` is in epoch milliseconds; its index serves
 * the limiter's periodic delete of expired counters.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rate_limits', (t) => {
    t.string('key', 255).primary();
    t.integer('points').notNullable().defaultTo(0);
    t.bigInteger('expire');
    t.index(['expire']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('rate_limits');
}
