import type { Knex } from 'knex';

/**
 * A ledger row is claimed before the send ('sending') and turned 'sent' by SendGrid's answer or,
 * when the answer was lost ('unconfirmed'), by SendGrid's own event for the message.
 * `attempted_at` dates the last attempt, so a retry knows how long it has waited for that event.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('sent_emails', (t) => {
    t.text('status').notNullable().defaultTo('sent'); // sending | unconfirmed | sent
    t.timestamp('attempted_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('confirmed_by'); // answer | event
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex('sent_emails').whereNot({ status: 'sent' }).delete();
  await knex.schema.alterTable('sent_emails', (t) => {
    t.dropColumn('status');
    t.dropColumn('attempted_at');
    t.dropColumn('confirmed_by');
  });
}
