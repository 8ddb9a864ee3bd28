import { randomBytes } from 'node:crypto';
import { createDb, migrateLatest, type Db } from '../../src/db/knex';
import { createDatabase, dropDatabases, MACHINE_POSTGRES_URL } from '../../scripts/lib/postgres';

export interface TestDatabase {
  url: string;
  db: Db;
  close(): Promise<void>;
}

const adminUrl = (): string => process.env.TEST_PG_ADMIN_URL ?? MACHINE_POSTGRES_URL;

async function newDatabase(template: string | undefined, poolMax: number): Promise<TestDatabase> {
  const name = `${process.env.TEST_RUN_ID ?? 'tm_test_solo'}_${randomBytes(4).toString('hex')}`;
  const url = await createDatabase(adminUrl(), name, template);
  const db = createDb(url, poolMax);
  return {
    url,
    db,
    close: async () => {
      await db.destroy();
      await dropDatabases(adminUrl(), [name]);
    },
  };
}

/**
 * A fresh, migrated database of its own for one test file, so that files run in parallel.
 * Under `npm test` it is a copy of the run's migrated template; run alone, it migrates itself
 * on the machine's PostgreSQL.
 */
export async function createTestDatabase(poolMax = 5): Promise<TestDatabase> {
  const template = process.env.TEST_DB_TEMPLATE;
  const database = await newDatabase(template, poolMax);
  if (!template) await migrateLatest(database.db);
  return database;
}

/** An empty database (no migrations), for testing the migrations themselves. */
export function createEmptyTestDatabase(): Promise<TestDatabase> {
  return newDatabase(undefined, 2);
}
