import type { Knex } from 'knex';

/**
 * `booked_run_id`: the workflow run that announced the lesson. A lesson booked again after its
 * workflow failed gets a new run, which finds another run here and announces the lesson anew at
 * the next version, so that its LessonBooked emails are not taken for the first run's (the ledger)
 * and its invite is newer than the ones people hold (SEQUENCE). Rows from before have none.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('lessons', (t) => {
    t.text('booked_run_id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('lessons', (t) => {
    t.dropColumn('booked_run_id');
  });
}
