import type { Knex } from 'knex';

/**
 * The outbox of events to the platform (PLATFORM_WEBHOOK_URL): each is written in the transaction
 * of the change it reports, and delivered by a scheduled pass with retries until `deliver_until`.
 * `id` is the Standard Webhooks `webhook-id`, the same on every attempt. `dedupe_key` makes an
 * event that several runs could report (a failed workflow, one failing day) be written once.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('platform_events', (t) => {
    t.text('id').primary();
    t.text('type').notNullable();
    t.jsonb('data').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable(); // the body's `timestamp`
    t.text('dedupe_key').unique();
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable();
    t.timestamp('deliver_until', { useTz: true }).notNullable();
    t.text('last_error'); // the platform's status or a network error, never a secret
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('given_up_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  // The delivery pass reads only the undelivered rows, by due time.
  await knex.raw(
    `CREATE INDEX platform_events_due ON platform_events (next_attempt_at)
       WHERE delivered_at IS NULL AND given_up_at IS NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('platform_events');
}
