import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isExecutable } from '../executables';
import { goInstallOnce, type GoInstall } from '../go-install';
import { toolCacheDir } from '../temporal-cli';
import { TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION } from './versions';

/**
 * The Temporal server (with its schema tool) and the UI server, each built once per machine into
 * a cache folder of its own (both `go install`s make a binary named `server`), pinned to the
 * versions the compose file runs. Beside each binary: the module's own config template (and the
 * server's schema files), copied from the Go module cache, so that a run needs nothing else.
 */
export interface ClusterBinaries {
  /** `server`, the config template in `config/docker.yaml`, the schema in `schema/`. */
  serverDir: string;
  server: string;
  sqlTool: string;
  /** PostgreSQL schema folders for temporal-sql-tool's update-schema. */
  schemaDir: { temporal: string; visibility: string };
  /** The UI's `server`, its template in `config/docker.yaml` and our `config/base.yaml`. */
  uiDir: string;
  ui: string;
}

const SERVER_MODULE = 'go.temporal.io/server';
const UI_MODULE = 'github.com/temporalio/ui-server/v2';
const TEMPLATE = join('config', 'docker.yaml');
/** The older template the image's start script may render with dockerize (checked by a test only). */
export const DOCKERIZE_TEMPLATE = join('docker', 'config_template.yaml');
const SCHEMA = join('schema', 'postgresql', 'v12');

function layout(env: NodeJS.ProcessEnv): ClusterBinaries {
  const serverDir = toolCacheDir(`temporal-server-${TEMPORAL_SERVER_VERSION}`, env);
  const uiDir = toolCacheDir(`temporal-ui-${TEMPORAL_UI_VERSION}`, env);
  return {
    serverDir,
    server: join(serverDir, 'server'),
    sqlTool: join(serverDir, 'sql'),
    schemaDir: {
      temporal: join(serverDir, SCHEMA, 'temporal', 'versioned'),
      visibility: join(serverDir, SCHEMA, 'visibility', 'versioned'),
    },
    uiDir,
    ui: join(uiDir, 'server'),
  };
}

/** The binaries when a previous run built them all, else undefined (the smoke test skips then). */
export function cachedClusterBinaries(env: NodeJS.ProcessEnv = process.env): ClusterBinaries | undefined {
  const found = layout(env);
  const complete =
    [found.server, found.sqlTool, found.ui].every(isExecutable) &&
    [join(found.serverDir, TEMPLATE), found.schemaDir.temporal, join(found.uiDir, TEMPLATE)].every((f) =>
      existsSync(f),
    );
  return complete ? found : undefined;
}

/** Where `go` keeps a module's source (downloading it if the cache lost it). */
async function moduleDir(go: string, module: string, version: string): Promise<string> {
  const { stdout } = await promisify(execFile)(go, ['mod', 'download', '-json', `${module}@v${version}`]);
  return (JSON.parse(stdout) as { Dir: string }).Dir;
}

function copyFromModule(go: string, module: string, version: string, into: string, paths: string[]) {
  return async (): Promise<void> => {
    const source = await moduleDir(go, module, version);
    for (const path of paths) cpSync(join(source, path), join(into, path), { recursive: true });
  };
}

/** Builds what is missing (several minutes the first time on a machine), then returns every path. */
export async function ensureClusterBinaries(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = (line) => console.error(line),
): Promise<ClusterBinaries> {
  const paths = layout(env);
  const server: GoInstall = {
    dir: paths.serverDir,
    packages: [`${SERVER_MODULE}/cmd/server`, `${SERVER_MODULE}/cmd/tools/sql`].map(
      (pkg) => `${pkg}@v${TEMPORAL_SERVER_VERSION}`,
    ),
    binaries: ['server', 'sql'],
    files: [TEMPLATE, DOCKERIZE_TEMPLATE, SCHEMA],
    label: `the Temporal server ${TEMPORAL_SERVER_VERSION}`,
    after: (go) =>
      copyFromModule(go, SERVER_MODULE, TEMPORAL_SERVER_VERSION, paths.serverDir, [
        TEMPLATE,
        DOCKERIZE_TEMPLATE,
        SCHEMA,
      ])(),
  };
  const ui: GoInstall = {
    dir: paths.uiDir,
    packages: [`${UI_MODULE}/cmd/server@v${TEMPORAL_UI_VERSION}`],
    binaries: ['server'],
    files: [TEMPLATE, join('config', 'base.yaml')],
    label: `the Temporal UI server ${TEMPORAL_UI_VERSION}`,
    after: async (go) => {
      await copyFromModule(go, UI_MODULE, TEMPORAL_UI_VERSION, paths.uiDir, [TEMPLATE])();
      // Read before the template: the template leaves `host` unset, which would listen on every address.
      mkdirSync(join(paths.uiDir, 'config'), { recursive: true });
      writeFileSync(join(paths.uiDir, 'config', 'base.yaml'), 'host: 127.0.0.1\n');
    },
  };
  // One after the other: two Go builds at once would only slow each other down.
  await goInstallOnce(server, log);
  await goInstallOnce(ui, log);
  return paths;
}
