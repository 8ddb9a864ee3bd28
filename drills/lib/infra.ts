import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDb, migrateLatest } from '../../src/db/knex';
import { bundleServiceWorkflows } from '../../src/worker/workflow-bundle';
import {
  createDatabase,
  dropDatabases,
  listDatabases,
  startEmbeddedPostgres,
} from '../../scripts/lib/postgres';
import { resolveTemporalCli } from '../../scripts/lib/temporal-cli';
import { startTemporalDevServer, type RunningDevServer } from '../../scripts/lib/temporal-dev-server';
import type { DrillNeed } from './types';

/**
 * The servers the drills run against. `npm run drills` starts its own: an embedded PostgreSQL
 * (never the machine's shared server) and a Temporal dev server with a persistent database file,
 * both restartable on the same port. Under `npm test` the runner's servers are used, and nothing
 * can be restarted.
 *
 * Either way the test support code (test/support/stack.ts) finds them through the variables the
 * test runner sets: TEST_PG_ADMIN_URL, TEST_DB_TEMPLATE, TEST_RUN_ID, TEMPORAL_ADDRESS and
 * WORKFLOW_BUNDLE_PATH.
 */
export interface DrillInfra {
  can(need: DrillNeed): boolean;
  /** Stops PostgreSQL, waits `downMs`, starts it again on the same port and data directory. */
  restartPostgres(downMs: number): Promise<void>;
  /** Stops the Temporal dev server, waits `downMs`, starts it again on the same port and db file. */
  restartTemporal(downMs: number): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const portOf = (address: string): number =>
  Number(new URL(address.includes('//') ? address : `x://${address}`).port);

/** A workflow bundle file for the worker processes (WORKFLOW_BUNDLE_PATH), so restarts are fast. */
async function ensureBundleFile(dir: string, log: (line: string) => void): Promise<void> {
  if (process.env.WORKFLOW_BUNDLE_PATH) return;
  const file = join(dir, 'workflow-bundle.js');
  const { code } = await bundleServiceWorkflows({ problems: log });
  writeFileSync(file, code);
  process.env.WORKFLOW_BUNDLE_PATH = file;
}

/** `temporal: false` (the cluster drills, which boot Temporal themselves): PostgreSQL only. */
export async function startDrillInfra(
  log: (line: string) => void,
  options: { temporal?: boolean } = {},
): Promise<DrillInfra> {
  const scratch = mkdtempSync(join(tmpdir(), 'tutor-meetings-drills-'));
  chmodSync(scratch, 0o755); // an embedded PostgreSQL runs as its own user when we are root
  if (process.env.TEST_PG_ADMIN_URL && process.env.TEMPORAL_ADDRESS) {
    await ensureBundleFile(scratch, log);
    const cannot = (): Promise<void> => Promise.reject(new Error('the test runner owns these servers'));
    return {
      can: () => false,
      restartPostgres: cannot,
      restartTemporal: cannot,
      close: async () => rmSync(scratch, { recursive: true, force: true }),
    };
  }

  const pgDir = join(scratch, 'pg');
  let pg = await startEmbeddedPostgres(pgDir);
  const pgPort = portOf(pg.adminUrl);
  log(`PostgreSQL: embedded, port ${pgPort}, data in ${pgDir}`);

  const withTemporal = options.temporal !== false;
  const cli = withTemporal ? await resolveTemporalCli(process.env, log) : undefined;
  const dbFilename = join(scratch, 'temporal.db');
  let temporal: RunningDevServer | undefined =
    cli && (await startTemporalDevServer({ cliPath: cli.path, ui: false, dbFilename }));
  const temporalPort = temporal ? portOf(temporal.address) : 0;
  if (temporal) log(`Temporal: dev server at ${temporal.address}, db file ${dbFilename}`);

  const runId = `tm_drills_${Date.now().toString(36)}`;
  const template = `${runId}_template`;
  const db = createDb(await createDatabase(pg.adminUrl, template), 1);
  await migrateLatest(db);
  await db.destroy();
  await ensureBundleFile(scratch, log);
  Object.assign(process.env, {
    TEST_RUN_ID: runId,
    TEST_PG_ADMIN_URL: pg.adminUrl,
    TEST_DB_TEMPLATE: template,
    ...(temporal && { TEMPORAL_ADDRESS: temporal.address }),
  });

  return {
    can: (need) => need === 'restart-postgres' || !!temporal,
    async restartPostgres(downMs) {
      await pg.stop();
      await sleep(downMs);
      pg = await startEmbeddedPostgres(pgDir, pgPort);
    },
    async restartTemporal(downMs) {
      if (!temporal || !cli) throw new Error('no Temporal dev server in this run');
      await temporal.stop();
      await sleep(downMs);
      temporal = await startTemporalDevServer({
        cliPath: cli.path,
        port: temporalPort,
        ui: false,
        dbFilename,
      });
    },
    async close() {
      await dropDatabases(pg.adminUrl, await listDatabases(pg.adminUrl, runId)).catch(() => undefined);
      await temporal?.stop();
      await pg.stop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
