import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isExecutable, onPath } from './executables';

/**
 * `go install` of pinned Go programs into a cache folder of their own, once per machine: a lock
 * folder makes a second process wait for the first build instead of running its own.
 */
export function findGo(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return onPath('go', env) ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/** Holds a directory lock so two processes never run the Go build at once; a dead holder's lock is taken over. */
export async function withBuildLock<T>(
  dir: string,
  work: () => Promise<T>,
  log: (line: string) => void,
): Promise<T> {
  mkdirSync(dir, { recursive: true });
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
        log(`Waiting for another process (pid ${holder}) that is building in ${dir}…`);
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

export interface GoInstall {
  /** The cache folder that receives the binaries (GOBIN). */
  dir: string;
  /** `module/path/cmd/x@vX.Y.Z`, each pinned. */
  packages: string[];
  /** The binaries the install must leave in `dir`. */
  binaries: string[];
  ldflags?: string;
  /** What is built, for the log line and the error without Go. */
  label: string;
  /** Files the install also leaves in `dir` (copied from the module by `after`). */
  files?: string[];
  /** Runs under the lock once the binaries exist: copies the module's `files` beside them. */
  after?: (go: string) => Promise<void>;
}

/** Builds `packages` under the lock unless every binary is already there; returns the binaries' paths. */
export async function goInstallOnce(spec: GoInstall, log: (line: string) => void): Promise<string[]> {
  const targets = spec.binaries.map((name) => join(spec.dir, name));
  const built = (): boolean => targets.every(isExecutable);
  const complete = (): boolean => built() && (spec.files ?? []).every((f) => existsSync(join(spec.dir, f)));
  if (complete()) return targets;
  return withBuildLock(
    spec.dir,
    async () => {
      if (complete()) return targets; // built by the process we waited for
      const go = findGo();
      if (!go) throw new Error(`${spec.label} is not built yet and Go is not installed to build it.`);
      if (!built()) {
        log(`Building ${spec.label} with Go into ${spec.dir} (first run only, several minutes)…`);
        const flags = spec.ldflags ? ['-ldflags', spec.ldflags] : [];
        await promisify(execFile)(go, ['install', ...flags, ...spec.packages], {
          env: { ...process.env, CGO_ENABLED: '0', GOBIN: spec.dir },
          maxBuffer: 64 * 1024 * 1024,
        });
        if (!built()) throw new Error(`go install finished but ${targets.join(', ')} are missing`);
      }
      await spec.after?.(go);
      return targets;
    },
    log,
  );
}
