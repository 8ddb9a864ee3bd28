import { mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isExecutable, onPath } from './executables';
import { findGo, goInstallOnce } from './go-install';

/**
 * Finds or makes the Temporal CLI binary (which carries the dev server), in this order:
 * TEMPORAL_CLI_PATH, `temporal` on PATH, a cached build, the SDK's own download, a Go build.
 * (TEMPORAL_ADDRESS, which needs no binary at all, is handled by the callers.)
 */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
const LD_FLAGS = `-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION}`;

export interface ResolvedCli {
  path: string;
  source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'sdk-download' | 'go-build';
}

/** The user's cache folder for this project's built programs, one folder per program and version. */
export function toolCacheDir(folder: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'tutor-meetings', folder);
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return toolCacheDir(`temporal-cli-${TEMPORAL_CLI_VERSION}`, env);
}

async function trySdkDownload(dir: string, log: (line: string) => void): Promise<string | undefined> {
  const downloadDir = join(dir, 'sdk-download');
  log('Trying the Temporal SDK download of the CLI…');
  try {
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const env = await Promise.race([
      TestWorkflowEnvironment.createLocal({
        server: { executable: { type: 'cached-download', downloadDir } },
      }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), 30_000).unref()),
    ]);
    await env.teardown();
    const found = readdirSync(downloadDir, { recursive: true, encoding: 'utf8' })
      .map((name) => join(downloadDir, name))
      .find((path) => /temporal(-cli)?[^/]*$/.test(path) && isExecutable(path));
    return found;
  } catch (error) {
    log(`  the SDK download failed (${(error as Error).message.split('\n')[0]}); building with Go instead.`);
    return undefined;
  }
}

async function goBuild(dir: string, log: (line: string) => void): Promise<string> {
  if (!findGo()) {
    throw new Error(
      'No Temporal CLI found and Go is not installed to build one. Set TEMPORAL_ADDRESS to a running server, ' +
        'TEMPORAL_CLI_PATH to a temporal binary, or install Go.',
    );
  }
  const [target] = await goInstallOnce(
    {
      dir,
      packages: [GO_PACKAGE],
      binaries: ['temporal'],
      ldflags: LD_FLAGS,
      label: `the Temporal CLI ${TEMPORAL_CLI_VERSION}`,
    },
    log,
  );
  return target as string;
}

export async function resolveTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
  log: (line: string) => void = (line) => console.error(line),
): Promise<ResolvedCli> {
  if (env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file`);
    }
    return { path: env.TEMPORAL_CLI_PATH, source: 'TEMPORAL_CLI_PATH' };
  }
  const fromPath = onPath('temporal', env);
  if (fromPath) return { path: fromPath, source: 'PATH' };

  const dir = cacheDir(env);
  const cached = join(dir, 'temporal');
  if (isExecutable(cached)) return { path: cached, source: 'cache' };
  mkdirSync(dir, { recursive: true });

  const downloaded = await trySdkDownload(dir, log);
  if (downloaded) return { path: downloaded, source: 'sdk-download' };
  return { path: await goBuild(dir, log), source: 'go-build' };
}

export function describeCli(cli: ResolvedCli): string {
  return `Temporal CLI: ${cli.path} (from ${cli.source})`;
}
