import type { Knex } from 'knex';

/**
 * The seed's tables with the seed's column names (oauth_service_tokens, meetings,
 * oauth_service_providers), plus the minimal users and lessons the booking calls fill,
 * and the ledger of sent emails. Secret columns hold AES-GCM ciphertext, never plaintext.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.text('id').primary(); // the platform's user id
    t.text('email');
    t.text('name');
    t.text('time_zone').notNullable().defaultTo('UTC');
    t.timestamps(true, true);
  });

  await knex.schema.createTable('oauth_service_providers', (t) => {
    t.increments('id').primary();
    t.text('name').notNullable().unique();
    t.timestamps(true, true);
  });
  await knex('oauth_service_providers').insert([{ name: 'zoom' }, { name: 'daily' }]);

  await knex.schema.createTable('lessons', (t) => {
    t.text('id').primary(); // the booking system's lesson id
    t.text('tutor_id').notNullable().references('users.id');
    t.text('student_id').notNullable().references('users.id');
    t.text('title');
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.text('status').notNullable().defaultTo('booked'); // booked | cancelled | finished
    t.integer('version').notNullable().defaultTo(1); // rises with each reschedule: emails and .ics SEQUENCE
    t.text('booking_hash').notNullable(); // a repeated booking must carry the same body
    t.text('workflow_id').notNullable();
    t.timestamps(true, true);
    t.index(['tutor_id', 'starts_at']);
  });
  await knex.raw(
    `ALTER TABLE lessons ADD CONSTRAINT lessons_status_check CHECK (status IN ('booked','cancelled','finished'))`,
  );
  await knex.raw(`ALTER TABLE lessons ADD CONSTRAINT lessons_times_check CHECK (ends_at > starts_at)`);

  await knex.schema.createTable('oauth_service_tokens', (t) => {
    t.bigIncrements('id').primary();
    t.text('uid').notNullable(); // the Zoom user id
    t.text('code'); // encrypted
    t.text('access_token').notNullable(); // encrypted
    t.text('refresh_token').notNullable(); // encrypted
    t.integer('expires_in').notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.text('email');
    t.integer('oauth_service_provider_id').notNullable().references('oauth_service_providers.id');
    t.text('user_id').notNullable().references('users.id');
    t.integer('reconnection_attempts').notNullable().defaultTo(0);
    t.date('last_attempt_counted_on'); // updateReconnectionAttempts() counts once per day
    t.integer('version').notNullable().defaultTo(1); // compare-and-swap for refresh under rotation
    t.timestamps(true, true);
    t.unique(['user_id', 'oauth_service_provider_id']);
    t.index(['uid']);
  });

  await knex.schema.createTable('meetings', (t) => {
    t.bigIncrements('id').primary();
    t.text('meeting_id').notNullable(); // Zoom's numeric id or Daily's room name
    t.text('password'); // encrypted
    t.text('join_url').notNullable(); // our signed host link; provider links are minted at click time
    t.text('participant_join_url').notNullable(); // our signed student link
    t.integer('oauth_service_provider_id').notNullable().references('oauth_service_providers.id');
    t.text('lesson_id').notNullable().unique().references('lessons.id');
    t.text('room_url'); // Daily's room URL (not a credential: private rooms need a meeting token)
    t.timestamps(true, true);
  });

  await knex.schema.createTable('sent_emails', (t) => {
    t.bigIncrements('id').primary();
    t.text('idempotency_key').notNullable().unique(); // lesson:event:version:recipient, or token:day
    t.text('template').notNullable();
    t.text('recipient').notNullable();
    t.text('message_id');
    t.timestamp('sent_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('zoom_connection_events', (t) => {
    t.bigIncrements('id').primary();
    t.text('user_id').notNullable();
    t.text('event').notNullable(); // connected | reconnected | refreshed | reminded | deleted | disconnected | deauthorized
    t.text('detail');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['user_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'zoom_connection_events',
    'sent_emails',
    'meetings',
    'oauth_service_tokens',
    'lessons',
    'oauth_service_providers',
    'users',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
