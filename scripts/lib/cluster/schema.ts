import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { ClusterBinaries } from './binaries';
import { bareEnv, type ServerDatabase } from './server-env';

/**
 * The compose file's `temporal-schema` step, natively: temporal-sql-tool's setup-schema (which
 * only sets up the version tables, and keeps a newer version) then update-schema (which applies
 * only the versions not yet applied), on both databases. Safe to re-run on a cluster's databases.
 */
async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name}"`);
  } catch (error) {
    // Another launcher created it between our check and our CREATE: that is what we wanted.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

/** temporal-sql-tool's settings, under the names the compose file's `temporal-schema` step sets. */
export function sqlToolEnv(db: ServerDatabase): Record<string, string> {
  return {
    SQL_PLUGIN: 'postgres12',
    SQL_HOST: db.host,
    SQL_PORT: String(db.port),
    SQL_USER: db.user,
    SQL_PASSWORD: db.password,
  };
}

export async function setUpTemporalSchema(
  adminUrl: string,
  db: ServerDatabase,
  binaries: ClusterBinaries,
): Promise<void> {
  const env = bareEnv(sqlToolEnv(db));
  const sqlTool = (database: string, ...command: string[]) =>
    promisify(execFile)(binaries.sqlTool, ['--db', database, ...command], { env });
  for (const [database, versioned] of [
    [db.temporal, binaries.schemaDir.temporal],
    [db.visibility, binaries.schemaDir.visibility],
  ] as const) {
    await createDatabaseIfMissing(adminUrl, database);
    await sqlTool(database, 'setup-schema', '-v', '0.0');
    await sqlTool(database, 'update-schema', '-d', versioned);
  }
}
