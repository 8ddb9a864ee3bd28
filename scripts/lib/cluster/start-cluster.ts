import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ensureDatabase } from '../../../src/db/ensure-database';
import { bundleServiceWorkflows } from '../../../src/worker/workflow-bundle';
import { freePort, waitForPort } from '../../../src/net/free-port';
import { allStarted } from '../all-started';
import { childProcessEnv } from '../child-process';
import { loadDevSecrets } from '../dev-secrets';
import { startEmulators, stackLines, type StartedEmulators } from '../emulators';
import { startEmbeddedPostgres } from '../postgres';
import { apiSettings, codecEndpoint, localCodecOrigins } from '../stack-settings';
import { ensureClusterBinaries, type ClusterBinaries } from './binaries';
import { managedProcess, type ManagedProcess } from './managed-process';
import { waitForNamespace } from './namespace-ready';
import { setUpTemporalSchema } from './schema';
import {
  bareEnv,
  TEMPORAL_SERVICES,
  type ServerDatabase,
  type ServerPorts,
  type TemporalService,
} from './server-env';
import { temporalServiceProcesses } from './temporal-services';

/**
 * The production topology on one machine (`npm run cluster`), as a library that the drills and
 * the bench drive too: the Temporal server's four services and its UI, the migrate one-shot, N
 * workers and N APIs as separate processes, and the emulators. Every port is free and chosen here.
 */
const root = resolve(__dirname, '../../..');

export interface ClusterOptions {
  /** The cluster's folder: logs, secrets, emulator state, the embedded PostgreSQL. */
  dataDir: string;
  /** Settings, secrets and provider base URLs, as for `npm start` (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** A PostgreSQL server (admin URL) for Temporal's own databases; default: embedded in dataDir. */
  temporalPostgresUrl?: string;
  /** Names Temporal's databases (temporal_<name>, temporal_visibility_<name>); default: from dataDir. */
  name?: string;
  workers?: number;
  apis?: number;
  ui?: boolean;
  /** Prebuilt binaries (the smoke test passes the cached ones, so that nothing is ever built). */
  binaries?: ClusterBinaries;
  /**
   * Settings for the workers and APIs that exist only once Temporal runs (the drills' in-process
   * emulators, database and secrets, which need a client of this cluster). When given, the caller
   * brings the providers: no emulator processes are started.
   */
  serviceEnv?: (temporalAddress: string) => Promise<Record<string, string>>;
  log?: (line: string) => void;
}

/** What the drills and the bench see: the processes by name, and each one's controls. */
export interface RunningCluster {
  urls: {
    apis: string[];
    temporal: string;
    temporalUi: string;
    emulators: StartedEmulators['urls'];
  };
  /** The labelled lines `npm run cluster` prints (`API: `, `API 2: `, `Temporal: ` …). */
  lines: string[];
  /** The service's environment every worker and API runs with (BOOKING_API_TOKEN, DATABASE_URL …). */
  serviceEnv: Record<string, string>;
  /** frontend, history, matching, worker (Temporal's), ui, worker-1…, api-1… */
  processes: Record<string, ManagedProcess>;
  /** Sends SIGKILL (or `signal`) to one process and waits until it has gone. */
  kill(name: string, signal?: NodeJS.Signals): Promise<void>;
  /** Stops one process if it runs, and starts it again with the same command and ports. */
  restart(name: string): Promise<void>;
  /** Stops everything, the service first, then Temporal, the emulators and PostgreSQL. */
  stop(): Promise<void>;
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function serverPorts(free: number[]): ServerPorts {
  const next = (): number => free.shift() as number;
  const perService = (): Record<TemporalService, number> =>
    Object.fromEntries(TEMPORAL_SERVICES.map((s) => [s, next()])) as Record<TemporalService, number>;
  const grpc = perService();
  return {
    grpc,
    frontendGrpc: grpc.frontend,
    frontendHttp: next(),
    membership: perService(),
    metrics: perService(),
  };
}

function serverDatabase(adminUrl: string, name: string): ServerDatabase {
  const url = new URL(adminUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    temporal: `temporal_${name}`,
    visibility: `temporal_visibility_${name}`,
  };
}

async function bundleWorkflows(dataDir: string): Promise<string> {
  const { code } = await bundleServiceWorkflows();
  const file = join(dataDir, 'workflow-bundle.js');
  writeFileSync(file, code);
  return file;
}

export async function startCluster(options: ClusterOptions): Promise<RunningCluster> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const dataDir = resolve(options.dataDir);
  const logDir = join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const baseEnv = childProcessEnv(
    Object.fromEntries(
      Object.entries(options.env ?? process.env).filter((e): e is [string, string] => e[1] !== undefined),
    ),
  );
  const name = options.name ?? createHash('sha256').update(dataDir).digest('hex').slice(0, 10);
  const workers = options.workers ?? 2;
  const apis = options.apis ?? 2;
  const stops: Array<() => Promise<void>> = [];
  const processes: Record<string, ManagedProcess> = {};
  const stop = async (): Promise<void> => {
    for (const step of stops.splice(0).reverse())
      await step().catch((e: unknown) => log(`while stopping: ${String(e)}`));
  };

  try {
    const free = await distinctFreePorts(4 * 3 + 1 + 2 * apis + workers + 4);
    const ports = serverPorts(free);
    const [uiPort, zoomPort, dailyPort, sendgridPort] = free.splice(0, 4) as [number, number, number, number];
    const apiPorts = free.splice(0, apis);
    const metricsPorts = free;

    const secrets = loadDevSecrets(dataDir, baseEnv);
    const api = apiSettings({ ...baseEnv, PORT: String(apiPorts[0]) });
    const env: Record<string, string> = { ...baseEnv, ...secrets, ...api } as Record<string, string>;
    // The APIs run as in production, so the connect flow ends on the platform's page. Without one,
    // nothing serves this address: the browser shows ?zoom=pending&grant=<code> in its address bar,
    // and `npm run connect-zoom -- <tutor> --confirm <code>` confirms it as the platform would.
    env.PLATFORM_REDIRECT_URL ||= `${api.PUBLIC_BASE_URL}/platform/zoom`;

    const postgres = async (): Promise<string> => {
      if (options.temporalPostgresUrl) return options.temporalPostgresUrl;
      const pg = await startEmbeddedPostgres(join(dataDir, 'postgres'), await freePort(), log);
      stops.push(() => pg.stop());
      return pg.adminUrl;
    };
    const noEmulators = { urls: {}, env: {} };
    const [binaries, adminUrl, bundle, emulators] = await allStarted([
      options.binaries ?? ensureClusterBinaries(baseEnv, log),
      postgres(),
      baseEnv.WORKFLOW_BUNDLE_PATH || bundleWorkflows(dataDir),
      options.serviceEnv
        ? noEmulators
        : startEmulators(env, {
            dataDir,
            port: (emulator) =>
              ({
                ZOOM_EMULATOR_PORT: zoomPort,
                DAILY_EMULATOR_PORT: dailyPort,
                SENDGRID_EMULATOR_PORT: sendgridPort,
                PLATFORM_EMULATOR_PORT: 0, // its own free port: nothing but the page names it
              })[emulator],
            publicBaseUrl: api.PUBLIC_BASE_URL,
            onStarted: (stopEmulator) => stops.push(stopEmulator),
          }),
    ] as const);
    Object.assign(env, emulators.env, { WORKFLOW_BUNDLE_PATH: bundle });

    const db = serverDatabase(adminUrl, name);
    log(`Temporal's databases: ${db.temporal}, ${db.visibility} (schema step)…`);
    await setUpTemporalSchema(adminUrl, db, binaries);
    if (!env.DATABASE_URL) {
      // On a shared server (TEMPORAL_POSTGRES_URL), named per cluster like Temporal's.
      const serviceDb = new URL(adminUrl);
      serviceDb.pathname = options.temporalPostgresUrl ? `/tutor_meetings_${name}` : '/tutor_meetings';
      env.DATABASE_URL = serviceDb.toString();
    }
    await ensureDatabase(env.DATABASE_URL);

    const address = `127.0.0.1:${ports.grpc.frontend}`;
    const temporal = temporalServiceProcesses(binaries, db, ports, logDir);
    Object.assign(processes, temporal);
    // Stopped in the reverse order: the worker service and the frontend first, history last.
    for (const service of ['history', 'matching', 'frontend', 'worker'] as const)
      stops.push(() => temporal[service].stop());
    const temporalUiUrl = options.ui === false ? '(not started)' : `http://127.0.0.1:${uiPort}`;
    // The UI decodes through the APIs' codec server; it has no login, so loopback goes without a token.
    env.CODEC_OPEN_ON_LOOPBACK = 'true';
    if (options.ui !== false) env.CODEC_CORS_ORIGINS = localCodecOrigins(env, temporalUiUrl);
    if (options.ui !== false) {
      processes.ui = managedProcess({
        name: 'ui',
        command: binaries.ui,
        // config/base.yaml binds to loopback; config/docker.yaml is the UI's own template.
        args: ['--root', binaries.uiDir, '--config', 'config', '--env', 'docker', 'start'],
        env: bareEnv({
          TEMPORAL_ADDRESS: address,
          TEMPORAL_UI_PORT: String(uiPort),
          TEMPORAL_CODEC_ENDPOINT: codecEndpoint(api.PUBLIC_BASE_URL),
        }),
        logFile: join(logDir, 'temporal-ui.log'),
        ready: () => waitForPort(uiPort, '127.0.0.1', 60_000),
      });
      stops.push(() => (processes.ui as ManagedProcess).stop());
    }
    log(`Starting Temporal's frontend, history, matching and worker services…`);
    // On fresh databases the services race to write the cluster's metadata, and a loser exits
    // ("failed to initialize current cluster metadata"): history writes it first, alone.
    await temporal.history.start();
    await allStarted([
      ...Object.values(temporal)
        .filter((p) => p !== temporal.history)
        .map((p) => p.start()),
      processes.ui?.start(),
    ]);

    env.TEMPORAL_ADDRESS = address;
    const namespace = env.TEMPORAL_NAMESPACE || 'default';
    await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'src/db/setup-cli.ts')], {
      cwd: root,
      env,
    });
    await waitForNamespace(address, namespace);
    if (options.serviceEnv)
      Object.assign(env, await options.serviceEnv(address), { TEMPORAL_ADDRESS: address });

    const node = (entry: string, extra: Record<string, string>, ready: RegExp, processName: string) =>
      managedProcess({
        name: processName,
        command: process.execPath,
        args: ['--import', 'tsx', join(root, entry)],
        cwd: root,
        // Their start is read from their "running"/"listening" line, written at info.
        env: { ...env, LOG_LEVEL: 'info', LISTEN_HOST: '127.0.0.1', ...extra },
        logFile: join(logDir, `${processName}.log`),
        ready,
      });
    const service: ManagedProcess[] = [
      ...Array.from({ length: workers }, (_, i) =>
        node('src/worker.ts', { METRICS_PORT: String(metricsPorts[i]) }, /worker running/, `worker-${i + 1}`),
      ),
      ...apiPorts.map((port, i) =>
        node(
          'src/api/server.ts',
          { PORT: String(port), METRICS_PORT: String(metricsPorts[workers + i]) },
          /API listening/,
          `api-${i + 1}`,
        ),
      ),
    ];
    for (const p of service) {
      processes[p.name] = p;
      stops.push(() => p.stop());
    }
    await allStarted(service.map((p) => p.start()));

    const urls = {
      apis: apiPorts.map((port) => `http://127.0.0.1:${port}`),
      temporal: address,
      temporalUi: temporalUiUrl,
      emulators: emulators.urls,
    };
    const named = (processName: string): ManagedProcess => {
      const found = processes[processName];
      if (!found) throw new Error(`no process ${processName}: ${Object.keys(processes).join(', ')}`);
      return found;
    };
    return {
      urls,
      lines: stackLines(urls),
      serviceEnv: env,
      processes,
      kill: (processName, signal) => named(processName).kill(signal),
      restart: (processName) => named(processName).restart(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
