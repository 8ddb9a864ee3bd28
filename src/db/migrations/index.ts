import type { Knex } from 'knex';
import * as initialSchema from './001_initial_schema';
import * as oneTimeNonces from './002_one_time_nonces';
import * as emailSendStates from './003_email_send_states';
import * as reconnectionDeletions from './004_reconnection_deletions';
import * as zoomConnectedAt from './005_zoom_connected_at';
import * as emailAttemptIds from './006_email_attempt_ids';
import * as lessonBookedRun from './007_lesson_booked_run';
import * as zoomConnectSessions from './008_zoom_connect_sessions';
import * as zoomGrantRevocations from './009_zoom_grant_revocations';
import * as rateLimits from './010_rate_limits';
import * as personErasures from './011_person_erasures';
import * as platformEvents from './012_platform_events';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Listed explicitly (not read from a folder) so migrations run the same under tsx, in a bundle or an image. */
const migrations: Record<string, Migration> = {
  '001_initial_schema': initialSchema,
  '002_one_time_nonces': oneTimeNonces,
  '003_email_send_states': emailSendStates,
  '004_reconnection_deletions': reconnectionDeletions,
  '005_zoom_connected_at': zoomConnectedAt,
  '006_email_attempt_ids': emailAttemptIds,
  '007_lesson_booked_run': lessonBookedRun,
  '008_zoom_connect_sessions': zoomConnectSessions,
  '009_zoom_grant_revocations': zoomGrantRevocations,
  '010_rate_limits': rateLimits,
  '011_person_erasures': personErasures,
  '012_platform_events': platformEvents,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return migration;
  },
};
