import type { Knex } from 'knex';

/**
 * One row per `npm run ops -- forget-person` run: who was erased, when, what each table gave up
 * (row counts), the lessons cancelled first, and the workflows whose histories still hold the
 * person's encrypted data until the namespace's retention ends. Ids only: never a name or email.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('person_erasures', (t) => {
    t.bigIncrements('id').primary();
    t.text('user_id').notNullable().index();
    t.jsonb('erased').notNullable(); // { table: rows changed }
    t.jsonb('cancelled_lesson_ids').notNullable();
    t.jsonb('workflow_ids').notNullable();
    t.integer('zoom_meetings_rewritten').notNullable().defaultTo(0);
    t.timestamp('erased_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('person_erasures');
}
