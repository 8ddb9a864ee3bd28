import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isExecutable, onPath } from './executables';

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

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'tutor-meetings', `temporal-cli-${TEMPORAL_CLI_VERSION}`);
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

/** Holds a directory lock so two processes never run the Go build at once; a dead holder's lock is taken over. */
async function withBuildLock<T>(
  dir: string,
  work: () => Promise<T>,
  log: (line: string) => void,
): Promise<T> {
  const lock = join(dir, 'build.lock');
  for (let waitedMs = 0; ; waitedMs += 2000) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      const holder = Number(readFileSync(join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      if (holder && !processAlive(holder)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (waitedMs % 30_000 === 0)
        log(`Waiting for another process (pid ${holder}) that is building the Temporal CLI…`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function goBuild(dir: string, log: (line: string) => void): Promise<string> {
  const target = join(dir, 'temporal');
  return withBuildLock(
    dir,
    async () => {
      if (isExecutable(target)) return target; // built by the process we waited for
      const go =
        onPath('go', process.env) ??
        (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
      if (!go) {
        throw new Error(
          'No Temporal CLI found and Go is not installed to build one. Set TEMPORAL_ADDRESS to a running server, ' +
            'TEMPORAL_CLI_PATH to a temporal binary, or install Go.',
        );
      }
      log(
        `Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${dir} (first run only, about 5 minutes)…`,
      );
      await promisify(execFile)(go, ['install', '-ldflags', LD_FLAGS, GO_PACKAGE], {
        env: { ...process.env, CGO_ENABLED: '0', GOBIN: dir },
        maxBuffer: 64 * 1024 * 1024,
      });
      if (!isExecutable(target)) throw new Error(`go install finished but ${target} is missing`);
      return target;
    },
    log,
  );
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
