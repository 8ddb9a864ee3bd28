import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedClusterBinaries, ensureClusterBinaries } from '../../scripts/lib/cluster/binaries';
import { startCluster, type RunningCluster } from '../../scripts/lib/cluster/start-cluster';
import { dropDatabases, startEmbeddedPostgres, type PostgresServer } from '../../scripts/lib/postgres';
import { startTestStack, type TestStack } from '../../test/support/stack';

/**
 * The production topology (`npm run cluster`'s library) with the test stack's controls: Temporal's
 * four services as processes, the workers and APIs as processes, and beside them, in this process,
 * the stack the drills and the bench read (a fresh database, the emulators with their faults and
 * state, a client of the cluster). The workers and APIs run with the stack's settings.
 */
export interface ClusterStack {
  stack: TestStack;
  cluster: RunningCluster;
  close(): Promise<void>;
}

export interface ClusterStackOptions {
  workers: number;
  apis: number;
  /** Extra service settings (timeouts, log level), as for startTestStack. */
  env?: Record<string, string>;
  /** Where the processes' log files are copied at the end (the data folder itself is removed). */
  keepLogsIn?: string;
  log(line: string): void;
}

/**
 * On the drills' PostgreSQL (TEST_PG_ADMIN_URL), or else (the bench) on an embedded one of its own,
 * never the machine's shared server: a cluster holds up to 30 connections per Temporal service.
 * Temporal's own databases go on it too, named per cluster, dropped with it.
 */
export async function startClusterStack(options: ClusterStackOptions): Promise<ClusterStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tutor-meetings-cluster-'));
  chmodSync(dataDir, 0o755);
  let ownPostgres: PostgresServer | undefined;
  if (!process.env.TEST_PG_ADMIN_URL) {
    ownPostgres = await startEmbeddedPostgres(join(dataDir, 'postgres'), undefined, options.log);
    process.env.TEST_PG_ADMIN_URL = ownPostgres.adminUrl;
  }
  const adminUrl = process.env.TEST_PG_ADMIN_URL;
  const name = `c${randomBytes(4).toString('hex')}`;
  const previousAddress = process.env.TEMPORAL_ADDRESS;
  let stack: TestStack | undefined;
  const cleanUp = async (): Promise<void> => {
    await stack?.close();
    await dropDatabases(adminUrl, [
      `temporal_${name}`,
      `temporal_visibility_${name}`,
      `tutor_meetings_${name}`,
    ]).catch(() => undefined);
    if (ownPostgres) {
      await ownPostgres.stop();
      delete process.env.TEST_PG_ADMIN_URL;
    }
    const logs = join(dataDir, 'logs');
    if (options.keepLogsIn && existsSync(logs)) cpSync(logs, options.keepLogsIn, { recursive: true });
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const cluster = await startCluster({
      dataDir,
      name,
      workers: options.workers,
      apis: options.apis,
      ui: false,
      temporalPostgresUrl: adminUrl,
      binaries: cachedClusterBinaries() ?? (await ensureClusterBinaries(process.env, options.log)),
      log: options.log,
      // The stack connects to this cluster: its client, its in-process API (SendGrid's events).
      serviceEnv: async (address) => {
        process.env.TEMPORAL_ADDRESS = address;
        stack = await startTestStack({ worker: false, env: options.env });
        return stack.rawEnv;
      },
    });
    const started = stack as TestStack | undefined;
    if (!started) throw new Error('the cluster started without its stack');
    return {
      stack: started,
      cluster,
      async close() {
        await cluster.stop();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  } finally {
    if (previousAddress === undefined) delete process.env.TEMPORAL_ADDRESS;
    else process.env.TEMPORAL_ADDRESS = previousAddress;
  }
}
