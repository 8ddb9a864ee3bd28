import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createDb, migrateLatest } from '../src/db/knex';
import { registerNamespace } from '../src/temporal/register-namespace';
import { bundleServiceWorkflows } from '../src/worker/workflow-bundle';
import {
  canConnect,
  createDatabase,
  dropDatabases,
  listDatabases,
  MACHINE_POSTGRES_URL,
  startEmbeddedPostgres,
} from './lib/postgres';
import { runTestFiles, summarize } from './lib/run-test-files';
import { describeCli, resolveTemporalCli, toolCacheDir } from './lib/temporal-cli';
import { startTemporalDevServer } from './lib/temporal-dev-server';

/**
 * `npm test`: Node 20 has no global setup hook, so this starts PostgreSQL and Temporal once,
 * migrates a template database, bundles the workflows once, runs every test file against them
 * (listed explicitly; see run-test-files.ts for the order and the report) and always cleans up.
 */
const root = resolve(__dirname, '..');
const runId = `tm_test_${Date.now().toString(36)}_${process.pid}`;
const scratch = mkdtempSync(join(tmpdir(), 'tutor-meetings-test-'));
chmodSync(scratch, 0o755); // an embedded PostgreSQL runs as its own user when we are root
const cleanups: Array<() => Promise<void>> = [];
const log = (line: string): void => void process.stderr.write(`[test-runner] ${line}\n`);

function findTestFiles(args: string[]): string[] {
  if (args.length > 0) return args.map((a) => resolve(a));
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
    );
  return walk(join(root, 'test')).sort();
}

async function startPostgres(): Promise<string> {
  if (process.env.TEST_PG_ADMIN_URL) return process.env.TEST_PG_ADMIN_URL;
  if (await canConnect(MACHINE_POSTGRES_URL)) {
    log('PostgreSQL: the machine server at 127.0.0.1:5432');
    return MACHINE_POSTGRES_URL;
  }
  const pg = await startEmbeddedPostgres(join(scratch, 'pg'));
  cleanups.push(() => pg.stop());
  log(`PostgreSQL: embedded, ${pg.adminUrl}`);
  return pg.adminUrl;
}

async function startTemporal(): Promise<{ address: string; cliPath?: string; uiUrl?: string }> {
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  if (process.env.TEMPORAL_ADDRESS) {
    log(`Temporal: the running server at ${process.env.TEMPORAL_ADDRESS}`);
    await registerNamespace(process.env.TEMPORAL_ADDRESS, namespace);
    return { address: process.env.TEMPORAL_ADDRESS };
  }
  const cli = await resolveTemporalCli(process.env, log);
  log(describeCli(cli));
  const server = await startTemporalDevServer({ cliPath: cli.path, namespace });
  cleanups.push(() => server.stop());
  log(`Temporal: dev server at ${server.address}, UI ${server.uiUrl}`);
  return { address: server.address, cliPath: cli.path, uiUrl: server.uiUrl };
}

async function bundleWorkflows(): Promise<string | undefined> {
  const workflowsPath = join(root, 'src/workflows/index.ts');
  if (!existsSync(workflowsPath)) return undefined;
  const { code } = await bundleServiceWorkflows({ problems: (message) => log(`bundler: ${message}`) });
  const file = join(scratch, 'workflow-bundle.js');
  writeFileSync(file, code);
  return file;
}

async function main(): Promise<number> {
  const files = findTestFiles(process.argv.slice(2));
  const [adminUrl, temporal, bundlePath] = await Promise.all([
    startPostgres(),
    startTemporal(),
    bundleWorkflows(),
  ]);
  cleanups.push(async () => dropDatabases(adminUrl, await listDatabases(adminUrl, runId)));

  const templateName = `${runId}_template`;
  const templateUrl = await createDatabase(adminUrl, templateName);
  const db = createDb(templateUrl, 1);
  await migrateLatest(db);
  await db.destroy();

  // Four on two cores: many files mostly wait (timers, a real minute of grace); measured idle, the
  // suite took 5m38s at three and 4m34s at four.
  const concurrency = Number(process.env.TEST_CONCURRENCY ?? 4);
  log(`running ${files.length} test files, ${concurrency} at a time, the slowest last time first`);
  const started = Date.now();
  const results = await runTestFiles({
    files: files.map((f) => relative(root, f)),
    cwd: root,
    concurrency,
    durationsFile: toolCacheDir('test-durations.json'),
    log,
    env: {
      ...process.env,
      TEST_RUN_ID: runId,
      TEST_PG_ADMIN_URL: adminUrl,
      TEST_DB_TEMPLATE: templateName,
      TEMPORAL_ADDRESS: temporal.address,
      TEST_TEMPORAL_UI_URL: temporal.uiUrl ?? '',
      ...(temporal.cliPath ? { TEMPORAL_CLI_PATH: temporal.cliPath } : {}),
      ...(bundlePath ? { WORKFLOW_BUNDLE_PATH: bundlePath } : {}),
    },
  });
  summarize(results, Date.now() - started, log);
  return results.every((r) => r.ok) ? 0 : 1;
}

async function cleanup(): Promise<void> {
  for (const step of cleanups.reverse()) await step().catch((e: unknown) => log(`cleanup: ${String(e)}`));
  rmSync(scratch, { recursive: true, force: true });
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    log(`failed: ${error instanceof Error ? error.stack : String(error)}`);
    await cleanup();
    process.exit(1);
  });
