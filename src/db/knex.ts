import knex, { type Knex } from 'knex';
import { types } from 'pg';
import type { Logger } from '../logger';
import { migrationSource } from './migrations';

export type Db = Knex;

const DATE_OID = 1082;

/**
 * A DATE is a calendar day, not an instant: node-postgres would make it a Date at the host's local
 * midnight, which toISOString() turns into the day before on a host east of UTC. Our connections
 * read it as PostgreSQL writes it ('YYYY-MM-DD'); per connection, so pg's global parsers stay untouched.
 */
const pgTypes: Knex.PgCustomTypesConfig = {
  getTypeParser: (oid: number, format: string) =>
    oid === DATE_OID && format !== 'binary'
      ? (value: string) => value
      : types.getTypeParser(oid, format === 'binary' ? 'binary' : 'text'),
};

/**
 * A knex pool. With a logger, knex's own warnings (e.g. "Connection Error: Connection ended
 * unexpectedly" for an idle connection PostgreSQL dropped, which the pool then replaces) become
 * structured log lines instead of bare stderr.
 */
export function createDb(databaseUrl: string, poolMax = 10, logger?: Logger): Db {
  const log = logger?.child({ component: 'knex' });
  return knex({
    client: 'pg',
    connection: { connectionString: databaseUrl, types: pgTypes },
    pool: { min: 0, max: poolMax },
    migrations: { migrationSource, tableName: 'knex_migrations' },
    ...(log && {
      log: {
        warn: (message: unknown) => log.warn(String(message)),
        error: (message: unknown) => log.error(String(message)),
        deprecate: (method: string, alternative: string) =>
          log.warn(`knex: ${method} is deprecated, use ${alternative}`),
        debug: (message: unknown) => log.debug(String(message)),
      },
    }),
  });
}

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}

/** Undoes every migration, newest first. */
export async function migrateRollbackAll(db: Db): Promise<string[]> {
  const [, undone] = (await db.migrate.rollback(undefined, true)) as [number, string[]];
  return undone;
}
