import type { Knex } from 'knex';

/**
 * Each claim of a ledger row writes its own `attempt_id`, and that attempt's later writes (lost
 * answer, clear refusal) touch the row only while it still carries that id: an attempt that
 * outlived its claim can no longer undo the claim of the attempt that took the row over.
 * Rows from before have none, and no attempt holds them by id; they age out as before.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sent_emails', (t) => {
    t.uuid('attempt_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sent_emails', (t) => {
    t.dropColumn('attempt_id');
  });
}
