import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../src/config/parse-env';
import { freePort } from '../../src/net/free-port';
import { npmStartEnv } from '../support/npm-start-env';
import { runStack } from '../../src/stack/run-stack';

const root = resolve(__dirname, '../..');

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

/** The live (not zombie) processes of a process group, from /proc (Linux): whatever a run left behind. */
function liveInGroup(group: number): string[] {
  const live: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces, so read after its closing parenthesis.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === group && state !== 'Z') live.push(stat.slice(0, stat.lastIndexOf(')') + 1));
  }
  return live;
}

interface FailedStart {
  code: number | null;
  stderr: string;
  dataDir: string;
  /** The ports `npm start` was given that something still listens on after it exited. */
  stillOpen: string[];
  /** Its child processes still running after it exited. */
  leftRunning: string[];
}

/**
 * Runs `npm start` (every part embedded, on free ports) until it exits by itself, then checks what
 * it left listening, and stops whatever that is (its own process group).
 */
async function startUntilExit(
  settings: Record<string, string>,
  prepare: (dataDir: string) => void = () => undefined,
): Promise<FailedStart> {
  const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-exit-'));
  chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as its own user when we are root
  prepare(dataDir);
  const ports: Record<string, number> = {};
  for (const name of [
    'PORT',
    'TEMPORAL_PORT',
    'TEMPORAL_UI_PORT',
    'EMBEDDED_PG_PORT',
    'ZOOM_EMULATOR_PORT',
    'DAILY_EMULATOR_PORT',
    'SENDGRID_EMULATOR_PORT',
    'PLATFORM_EMULATOR_PORT',
  ])
    ports[name] = await freePort();
  const env = npmStartEnv(ports, dataDir, settings);

  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  const stillOpen: string[] = [];
  for (const [name, port] of Object.entries(ports)) if (await portOpen(port)) stillOpen.push(name);
  const leftRunning = process.platform === 'linux' ? liveInGroup(child.pid as number) : [];
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    // the group is gone: nothing was left behind
  }
  return { code, stderr, dataDir, stillOpen, leftRunning };
}

test('`npm start` with a bad setting names it before starting anything, and exits 78', async () => {
  const run = await startUntilExit({
    MAX_RECONNECTION_ATTEMPTS: '0',
    LOG_LEVEL: 'verbose',
    // Empty lines of a .env mean "the default", for npm start as for the service.
    PUBLIC_BASE_URL: '',
    MAIL_FROM: '',
  });
  try {
    assert.equal(run.code, 78, run.stderr);
    assert.match(run.stderr, /MAX_RECONNECTION_ATTEMPTS: /);
    assert.match(run.stderr, /LOG_LEVEL: /);
    assert.doesNotMatch(run.stderr, /PUBLIC_BASE_URL|ZOOM_REDIRECT_URI|MAIL_FROM/);
    assert.doesNotMatch(run.stderr, /^\s+at /m, 'one clear message, not a stack trace');
    assert.deepEqual(run.stillOpen, [], 'nothing is left listening');
    assert.deepEqual(run.leftRunning, [], 'nothing is left running');
    assert.equal(existsSync(join(run.dataDir, 'temporal.db')), false, 'nothing was started');
  } finally {
    rmSync(run.dataDir, { recursive: true, force: true });
  }
});

test('`npm start` whose PostgreSQL fails at once stops the Temporal server that was starting beside it', async () => {
  // The embedded PostgreSQL's folder can't be made: its start fails while Temporal's is under way.
  const run = await startUntilExit(
    {},
    (dataDir) => (
      mkdirSync(join(dataDir, 'postgres'), { recursive: true }),
      writeFileSync(join(dataDir, 'postgres', 'PG_VERSION'), '18')
    ),
  );
  try {
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(run.leftRunning, [], `nothing is left running:\n${run.stderr}`);
  } finally {
    rmSync(run.dataDir, { recursive: true, force: true });
  }
});

test("the stack's own settings check throws, so that `npm start` can stop what it started", async () => {
  await assert.rejects(
    runStack({ MAX_RECONNECTION_ATTEMPTS: '0' }, () => undefined),
    (error: unknown) => error instanceof ConfigError && /MAX_RECONNECTION_ATTEMPTS/.test(error.message),
  );
});
