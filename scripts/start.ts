import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, parseEnv } from '../src/config/parse-env';
import { serviceEnv } from '../src/config/service-env';
import { ensureDatabase } from '../src/db/ensure-database';
import { runStack } from '../src/stack/run-stack';
import { loadDevSecrets } from './lib/dev-secrets';
import { apiSettings, codecEndpoint, localCodecOrigins, setting } from './lib/stack-settings';
import { allStarted } from './lib/all-started';
import { DEFAULT_EMULATOR_PORTS, startEmulators, stackLines } from './lib/emulators';
import { startEmbeddedPostgres, takeOverShutdownSignals } from './lib/postgres';
import { describeCli, resolveTemporalCli } from './lib/temporal-cli';
import { startTemporalDevServer } from './lib/temporal-dev-server';

/**
 * `npm start`: the whole stack on embedded defaults. PostgreSQL (unless DATABASE_URL), the Temporal
 * dev server with its UI (unless TEMPORAL_ADDRESS), an emulator for each provider whose base URL
 * is unset, migrations, the worker and the API. Ctrl-C or SIGTERM stops all of it.
 */
const root = resolve(__dirname, '..');
const dataDir = resolve(setting(process.env, 'DATA_DIR') ?? join(root, '.data'));
const stops: Array<() => Promise<void>> = [];
const note = (line: string): void => void process.stderr.write(`${line}\n`);
const port = (name: string, fallback: number): number => Number(setting(process.env, name) ?? fallback);

async function startPostgres(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const pg = await startEmbeddedPostgres(join(dataDir, 'postgres'), port('EMBEDDED_PG_PORT', 54329), note);
  stops.push(() => pg.stop());
  const url = new URL(pg.adminUrl);
  url.pathname = '/tutor_meetings';
  await ensureDatabase(url.toString());
  return url.toString();
}

async function startTemporal(publicBaseUrl: string): Promise<{ address: string; uiUrl: string }> {
  if (process.env.TEMPORAL_ADDRESS) {
    return {
      address: process.env.TEMPORAL_ADDRESS,
      uiUrl: setting(process.env, 'TEMPORAL_UI_URL') ?? '(external server)',
    };
  }
  const cli = await resolveTemporalCli(process.env, note);
  note(describeCli(cli));
  const server = await startTemporalDevServer({
    cliPath: cli.path,
    port: port('TEMPORAL_PORT', 7233),
    uiPort: port('TEMPORAL_UI_PORT', 8233),
    dbFilename: join(dataDir, 'temporal.db'),
    namespace: setting(process.env, 'TEMPORAL_NAMESPACE') ?? 'default',
    uiCodecEndpoint: codecEndpoint(publicBaseUrl),
  });
  stops.push(() => server.stop());
  return { address: server.address, uiUrl: server.uiUrl ?? '' };
}

/**
 * The settings checked before anything starts, so a bad one costs no PostgreSQL or Temporal start.
 * Those that `npm start` fills in once they run are checked by runStack, with their real values.
 */
function checkSettings(env: NodeJS.ProcessEnv): void {
  const filledInLater = {
    ...(!process.env.DATABASE_URL && { DATABASE_URL: true as const }),
    ...(!process.env.SENDGRID_API_BASE_URL && { SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY: true as const }),
  };
  parseEnv(serviceEnv.omit(filledInLater), env);
}

async function main(): Promise<void> {
  await takeOverShutdownSignals();
  mkdirSync(dataDir, { recursive: true });
  const secrets = loadDevSecrets(dataDir, process.env);
  const api = apiSettings(process.env);
  const publicBaseUrl = api.PUBLIC_BASE_URL;
  const env: NodeJS.ProcessEnv = { ...process.env, ...secrets, ...api };
  checkSettings(env);

  const [databaseUrl, temporal] = await allStarted([startPostgres(), startTemporal(publicBaseUrl)] as const);
  env.DATABASE_URL = databaseUrl;
  env.TEMPORAL_ADDRESS = temporal.address;
  // The dev UI has no login to pass a token; the API listens on loopback only.
  env.CODEC_OPEN_ON_LOOPBACK = 'true';
  if (URL.canParse(temporal.uiUrl)) env.CODEC_CORS_ORIGINS = localCodecOrigins(env, temporal.uiUrl);

  const emulators = await startEmulators(env, {
    dataDir,
    port: (name) => port(name, DEFAULT_EMULATOR_PORTS[name]),
    publicBaseUrl,
    onStarted: (stop) => stops.push(stop),
  });
  Object.assign(env, emulators.env);

  const stack = await runStack(env, note);
  stops.push(() => stack.stop());

  const lines = stackLines({
    apis: [stack.apiUrl],
    temporal: temporal.address,
    temporalUi: temporal.uiUrl,
    emulators: emulators.urls,
  });
  process.stdout.write(`${lines.join('\n')}\n`);
  note('Ready. Press Ctrl-C to stop everything.');
}

let stopping = false;
async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const stop of stops.reverse())
      await stop().catch((e: unknown) => note(`while stopping: ${String(e)}`));
  }
  process.exit(code);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch(async (error: unknown) => {
  // A bad setting is one message naming every variable, and EX_CONFIG, as for the other processes.
  if (error instanceof ConfigError) return void (note(error.message), await stopAll(78));
  note(error instanceof Error ? (error.stack ?? error.message) : String(error));
  await stopAll(1);
});
