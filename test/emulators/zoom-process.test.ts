import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  api,
  connect,
  MEETING,
  REDIRECT_URI,
  startTestZoom,
  tokenRequest,
  WEBHOOK_SECRET,
} from './zoom-http-support';

/** The Zoom emulator across restarts, as a process, and its deauthorization webhook. */

const dir = mkdtempSync(join(tmpdir(), 'zoom-emulator-'));
type Json = Record<string, unknown>;

void describe('Zoom emulator: state, process and control', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  void it('keeps users, tokens and meetings in the state file across a restart', async () => {
    const stateFile = join(dir, 'zoom.json');
    const first = await startTestZoom({ stateFile });
    const tutor = first.createUser({ email: 'kept@example.com' });
    const tokens = await connect(first, tutor.id);
    const meeting = (await (
      await api(first, tokens.access_token, 'POST', '/users/me/meetings', MEETING)
    ).json()) as Json;
    await first.close();

    const second = await startTestZoom({ stateFile });
    try {
      const me = (await (await api(second, tokens.access_token, 'GET', '/users/me')).json()) as Json;
      assert.equal(me.email, 'kept@example.com');
      assert.equal(
        (await api(second, tokens.access_token, 'GET', `/meetings/${String(meeting.id)}`)).status,
        200,
      );
      const refreshed = await tokenRequest(second, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
      });
      assert.equal(refreshed.status, 200);
    } finally {
      await second.close();
    }
  });

  void it('deauthorizes a user: tokens die and a signed app_deauthorized arrives', async () => {
    const got: Array<{ raw: string; signature: string; timestamp: string }> = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({
          raw: Buffer.concat(chunks).toString('utf8'),
          signature: String(req.headers['x-zm-signature']),
          timestamp: String(req.headers['x-zm-request-timestamp']),
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/zoom`;
    const zoom = await startTestZoom({ webhookUrl });
    try {
      const tutor = zoom.createUser();
      const { access_token } = await connect(zoom, tutor.id);
      const res = await fetch(`${zoom.url}/_emulator/zoom/users/${tutor.id}/deauthorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userDataRetention: false }),
      });
      assert.equal(res.status, 200);
      const result = (await res.json()) as { revokedGrants: number; delivery: { status: number } };
      assert.equal(result.revokedGrants, 1);
      assert.equal(result.delivery.status, 200);
      assert.equal((await api(zoom, access_token, 'GET', '/users/me')).status, 401);
      const [delivery] = got;
      assert.ok(delivery);
      const expected = `v0=${createHmac('sha256', WEBHOOK_SECRET).update(`v0:${delivery.timestamp}:${delivery.raw}`).digest('hex')}`;
      assert.equal(delivery.signature, expected);
      const event = JSON.parse(delivery.raw) as { event: string; payload: Json };
      assert.equal(event.event, 'app_deauthorized');
      assert.equal(event.payload.user_id, tutor.id);
      assert.equal(event.payload.user_data_retention, 'false');
      assert.equal(zoom.deliveries().length, 1);
    } finally {
      await zoom.close();
      await new Promise<void>((done) => receiver.close(() => done()));
    }
  });

  void it('runs as a process: prints its URL, answers, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(__dirname, '../../emulators/zoom/main.ts')],
      {
        env: {
          ...process.env,
          ZOOM_EMULATOR_PORT: '0',
          ZOOM_CLIENT_ID: 'proc-client',
          ZOOM_REDIRECT_URI: REDIRECT_URI,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const url = await new Promise<string>((done, fail) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /Zoom emulator: (\S+)/.exec(out);
        if (match?.[1]) done(match[1]);
      });
      child.once('exit', (code) => fail(new Error(`exited with ${String(code)}`)));
    });
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: 'proc-client',
      redirect_uri: REDIRECT_URI,
    });
    const res = await fetch(`${url}/oauth/authorize?${query}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
