import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../src/net/free-port';
import { booking, waitFor } from '../lessons/lesson-helpers';
import { npmStartEnv } from '../support/npm-start-env';

const root = resolve(__dirname, '../..');
const labels = [
  'API',
  'Temporal',
  'Temporal UI',
  'Mail outbox',
  'Zoom emulator',
  'Daily emulator',
  'SendGrid emulator',
  'Platform events',
];

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

test(
  '`npm start` brings the whole stack up, prints its URLs in order, and Ctrl-C leaves nothing running',
  { timeout: 180_000 },
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-test-'));
    chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as its own user when we are root
    const ports: Record<string, number> = {};
    for (const name of ['PORT', 'TEMPORAL_PORT', 'TEMPORAL_UI_PORT', 'EMBEDDED_PG_PORT']) {
      ports[name] = await freePort();
    }
    // The emulators pick their own ports (0) and print them: a port chosen here would stay free for
    // the seconds PostgreSQL and Temporal take to start, and another test file could take it.
    for (const name of [
      'ZOOM_EMULATOR_PORT',
      'DAILY_EMULATOR_PORT',
      'SENDGRID_EMULATOR_PORT',
      'PLATFORM_EMULATOR_PORT',
    ])
      ports[name] = 0;
    const env = npmStartEnv(ports, dataDir, { LOG_LEVEL: 'warn' });

    const child = spawn('npm', ['start', '--silent'], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

    try {
      const deadline = Date.now() + 150_000;
      while (!labels.every((l) => stdout.includes(`${l}: `))) {
        if (child.exitCode !== null) assert.fail(`npm start exited early:\n${stdout}\n${stderr}`);
        if (Date.now() > deadline) assert.fail(`npm start printed no URLs in time:\n${stdout}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const printed = stdout
        .trim()
        .split('\n')
        .filter((line) => labels.some((l) => line.startsWith(`${l}: `)));
      assert.deepEqual(
        printed.map((line) => line.slice(0, line.indexOf(': '))),
        labels,
      );
      const url = (label: string): string =>
        (printed.find((l) => l.startsWith(`${label}: `)) as string).slice(label.length + 2);

      assert.equal(url('API'), `http://127.0.0.1:${ports.PORT}`);
      assert.equal(url('Temporal'), `127.0.0.1:${ports.TEMPORAL_PORT}`);
      const health = await fetch(`${url('API')}/healthz`);
      assert.equal(health.status, 200);
      const ui = await fetch(url('Temporal UI'));
      assert.equal(ui.status, 200);
      const outbox = await fetch(url('Mail outbox'));
      assert.equal(outbox.status, 200);
      // A booking's lesson.meeting_ready reaches the receiver, signed with the generated whsec secret.
      const { BOOKING_API_TOKEN } = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8'));
      const lesson = booking();
      const booked = await fetch(`${url('API')}/lessons`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOOKING_API_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(lesson),
      });
      assert.equal(booked.status, 202);
      const page = await waitFor('the event on the Platform events page', async () => {
        const text = await (await fetch(url('Platform events'))).text();
        return text.includes(lesson.id) && text;
      });
      assert.match(page, /lesson\.meeting_ready/);
      assert.match(page, /signature verified/);
      // SendGrid's event webhook is on (the emulator's key reached the API): unsigned is a 401, not a 404.
      const events = await fetch(`${url('API')}/webhooks/sendgrid`, { method: 'POST', body: '[]' });
      assert.equal(events.status, 401);
    } finally {
      process.kill(-(child.pid as number), 'SIGINT');
      await exited;
      // Servers get a few seconds to release their ports after their parent has exited.
      const deadline = Date.now() + 10_000;
      for (const [name, port] of Object.entries(ports)) {
        while ((await portOpen(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
        assert.equal(await portOpen(port), false, `${name} (${port}) is still open after Ctrl-C`);
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);
