import type { Knex } from 'knex';

/**
 * Every Zoom grant the service drops, until Zoom has revoked it (or it proved dead, or another
 * connection still holds that Zoom user). Tokens are encrypted, bound to the row's id, and erased
 * once the revocation is done. The processor claims due rows by `next_attempt_at`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('zoom_grant_revocations', (t) => {
    t.uuid('id').primary();
    t.text('access_token'); // encrypted; null once done
    t.text('refresh_token'); // encrypted; null once done
    t.timestamp('access_expires_at', { useTz: true }); // when known: an expired one is refreshed first
    t.text('zoom_user_id'); // null until learned (a failing GET /users/me dropped it)
    t.text('user_id'); // the tutor it was for, for operators only
    t.text('reason').notNullable();
    t.timestamp('not_before', { useTz: true });
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable();
    t.text('last_error'); // never a secret: provider messages and our own
    t.text('outcome'); // null while pending
    t.timestamp('done_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE zoom_grant_revocations ADD CONSTRAINT zoom_grant_revocations_outcome
       CHECK (outcome IN ('revoked', 'already_dead', 'forgotten', 'withdrawn'))`,
  );
  // The processor's claim reads only the pending rows, by due time.
  await knex.raw(
    `CREATE INDEX zoom_grant_revocations_due ON zoom_grant_revocations (next_attempt_at) WHERE outcome IS NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('zoom_grant_revocations');
}
