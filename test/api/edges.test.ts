import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { startApi } from '../../src/api/server';
import { createMetricsRegistry } from '../../src/observability/metrics';
import { platformJwt } from '../support/browser';
import { useTestStack } from '../support/use-test-stack';

// Small timeouts, so that the cut-offs are seen within a test.
const REQUEST_TIMEOUT_MS = 1500;
const HEADERS_TIMEOUT_MS = 1000;

let port: number;
const stack = useTestStack({
  worker: false,
  env: {
    API_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    API_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
  },
  started: (started) => void (port = Number(new URL(started.api.url).port)),
});

interface Exchange {
  /** What the server answered (empty when it answered nothing). */
  response: string;
  /** Body bytes the client had written when the answer's first bytes came. */
  sentWhenAnswered: number;
  /** Whether the server closed the connection. */
  closedByServer: boolean;
  ms: number;
}

/**
 * One request over a raw socket: the head, then the body's pieces, one every `everyMs` (the first
 * after it too), stopping as soon as an answer comes. A server that needed more of the body than
 * was sent would never answer: the exchange then ends after `giveUpMs` with no response.
 */
function exchange(
  head: string,
  pieces: Array<string | Buffer>,
  everyMs = 20,
  giveUpMs = 10_000,
): Promise<Exchange> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let response = '';
    let sent = 0;
    let next = 0;
    let sentWhenAnswered = -1;
    let timer: NodeJS.Timeout | undefined;
    const finish = (closedByServer: boolean) => {
      clearTimeout(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ response, sentWhenAnswered, closedByServer, ms: performance.now() - started });
    };
    const giveUp = setTimeout(() => finish(false), giveUpMs);
    socket.on('data', (chunk) => {
      if (sentWhenAnswered < 0) sentWhenAnswered = sent;
      response += chunk.toString('latin1');
    });
    socket.on('end', () => finish(true));
    socket.on('error', () => finish(true));
    const sendMore = () => {
      const piece = pieces[next++];
      if (sentWhenAnswered >= 0 || piece === undefined) return;
      socket.write(piece);
      sent += piece.length;
      timer = setTimeout(sendMore, everyMs);
    };
    socket.write(head);
    timer = setTimeout(sendMore, everyMs);
  });
}

const status = (raw: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
const header = (raw: string, name: string): string | undefined =>
  new RegExp(`^${name}: (.*)$`, 'im').exec(raw)?.[1]?.trim();
const post = (path: string, headers: Record<string, string>): string =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

const MB = 1024 * 1024;

test('40 connections each declaring 4 MB without a signature get their 401 after the first 64 KB, and are closed unread', async () => {
  const headers = { 'content-type': 'application/json', 'content-length': String(4 * MB) };
  const sendgrid = post('/webhooks/sendgrid', headers);
  const zoom = post('/webhooks/zoom', { ...headers, authorization: 'legacy-but-no-token-configured' });
  // Each sends 64 KB of its 4 MB and waits: a server reading bodies before the signature check
  // would hold 40 × 64 KB and answer nobody.
  const firstChunk = Buffer.alloc(64 * 1024, 'x');
  const results = await Promise.all(
    Array.from({ length: 40 }, (_, i) => exchange(i % 2 ? sendgrid : zoom, [firstChunk])),
  );
  for (const result of results) {
    assert.equal(status(result.response), 401, result.response.slice(0, 200));
    assert.ok(
      result.sentWhenAnswered <= firstChunk.length,
      `answered after ${result.sentWhenAnswered} bytes`,
    );
    assert.equal(header(result.response, 'connection'), 'close', 'the rest of the body is never read');
    assert.equal(result.closedByServer, true);
  }
});

test('a Zoom delivery with a signature but no timestamp, or chunked without a signature, is refused before its body', async () => {
  const chunked = post('/webhooks/zoom', {
    'content-type': 'application/json',
    'transfer-encoding': 'chunked',
  });
  const noTimestamp = post('/webhooks/zoom', {
    'content-type': 'application/json',
    'content-length': String(MB),
    'x-zm-signature': 'v0=00',
  });
  const cases = [
    [chunked, `3e8\r\n${'x'.repeat(1000)}\r\n`],
    [noTimestamp, 'x'.repeat(1000)],
  ] as const;
  for (const [head, piece] of cases) {
    const result = await exchange(head, [piece]);
    assert.equal(status(result.response), 401, result.response.slice(0, 200));
    assert.match(result.response, /"error":"invalid_signature"/);
  }
});

test('body limits: 64 KB for Zoom events and JSON bodies, 2 MB for SendGrid batches; 413 from Content-Length before reading', async () => {
  const zoomSigned = { 'x-zm-signature': 'v0=00', 'x-zm-request-timestamp': '1' };
  const sendgridSigned = {
    'x-twilio-email-event-webhook-signature': 'eA==',
    'x-twilio-email-event-webhook-timestamp': '1',
  };
  const booking = { authorization: `Bearer ${stack.env.BOOKING_API_TOKEN}` };
  const cases = [
    ['/webhooks/zoom', zoomSigned, 64 * 1024 + 1],
    ['/webhooks/sendgrid', sendgridSigned, 2 * MB + 1],
    ['/lessons', booking, 64 * 1024 + 1],
    ['/lessons/abc/reschedule', booking, 64 * 1024 + 1],
  ] as const;
  for (const [path, headers, size] of cases) {
    const head = post(path, {
      ...headers,
      'content-type': 'application/json',
      'content-length': String(size),
    });
    // Only the head is sent: the answer can't wait for the body.
    const result = await exchange(head, []);
    assert.equal(status(result.response), 413, `${path}: ${result.response.slice(0, 200)}`);
    assert.match(result.response, /"error":"payload_too_large"/);
    assert.equal(result.closedByServer, true);
  }
  // At the limit, the body is read and judged (a bad signature, a bad booking), not refused for its size.
  for (const [path, headers, size] of cases) {
    const res = await fetch(`${stack.api.url}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: `"${'x'.repeat(size - 3)}"`,
    });
    assert.ok([400, 401].includes(res.status), `${path} at the limit: ${res.status}`);
  }
});

test('a body without Content-Length is cut at the limit while it streams: 413, and the rest is never read', async () => {
  const cases = [
    ['/webhooks/zoom', { 'x-zm-signature': 'v0=00', 'x-zm-request-timestamp': '1' }, 64 * 1024],
    ['/lessons', { authorization: `Bearer ${stack.env.BOOKING_API_TOKEN}` }, 64 * 1024],
  ] as const;
  for (const [path, headers, limit] of cases) {
    const head = post(path, {
      ...headers,
      'content-type': 'application/json',
      'transfer-encoding': 'chunked',
    });
    // Chunked framing by hand: 8 KB chunks every 20 ms, 10 MB in all if nobody stopped them.
    const chunk = `2000\r\n${'x'.repeat(0x2000)}\r\n`;
    const result = await new Promise<Exchange>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      const started = performance.now();
      let response = '';
      let sent = 0;
      let sentWhenAnswered = -1;
      const timer = setInterval(() => {
        if (sentWhenAnswered < 0 && sent < 10 * MB && socket.writable) {
          socket.write(chunk);
          sent += 0x2000;
        }
      }, 20);
      const finish = (closedByServer: boolean) => {
        clearInterval(timer);
        socket.destroy();
        resolve({ response, sentWhenAnswered, closedByServer, ms: performance.now() - started });
      };
      socket.on('data', (data) => {
        if (sentWhenAnswered < 0) sentWhenAnswered = sent;
        response += data.toString('latin1');
      });
      socket.on('end', () => finish(true));
      socket.on('error', () => finish(true));
      socket.write(head);
    });
    assert.equal(status(result.response), 413, `${path}: ${result.response.slice(0, 200)}`);
    assert.ok(
      result.sentWhenAnswered > limit && result.sentWhenAnswered <= limit + 4 * 0x2000,
      `${path}: answered after ${result.sentWhenAnswered} bytes`,
    );
    assert.equal(header(result.response, 'connection'), 'close');
    assert.equal(result.closedByServer, true);
  }
});

test('a body trickled a byte at a time is cut at the request timeout (408), its connection closed', async () => {
  const head = post('/lessons', {
    authorization: `Bearer ${stack.env.BOOKING_API_TOKEN}`,
    'content-type': 'application/json',
    'content-length': '100',
  });
  const result = await exchange(head, Array<string>(100).fill('x'), 400);
  assert.equal(result.closedByServer, true);
  assert.ok(result.sentWhenAnswered < 100, 'cut before the body was complete');
  assert.ok(
    result.ms >= REQUEST_TIMEOUT_MS - 100 && result.ms < REQUEST_TIMEOUT_MS + 1500,
    `cut after ${Math.round(result.ms)} ms`,
  );
  assert.equal(status(result.response), 408, result.response.slice(0, 200));
});

test('headers trickled slowly are cut at the headers timeout', async () => {
  const started = performance.now();
  const closed = await new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const timer = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 200);
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    socket.on('close', () => (clearInterval(timer), resolve(true)));
    socket.on('error', () => undefined);
    setTimeout(() => (clearInterval(timer), socket.destroy(), resolve(false)), 5000).unref();
  });
  const ms = performance.now() - started;
  assert.equal(closed, true);
  assert.ok(
    ms >= HEADERS_TIMEOUT_MS - 100 && ms < HEADERS_TIMEOUT_MS + 1500,
    `cut after ${Math.round(ms)} ms`,
  );
});

test('connections past API_MAX_CONNECTIONS are closed as they come; the ones held keep working', async () => {
  const capped = await startApi(
    { ...stack.container, metrics: createMetricsRegistry(), env: { ...stack.env, API_MAX_CONNECTIONS: 2 } },
    0,
    '127.0.0.1',
  );
  const cappedPort = Number(new URL(capped.url).port);
  const open = (): Promise<{ socket: Socket; answer: Promise<string> }> =>
    new Promise((resolve) => {
      const socket = connect(cappedPort, '127.0.0.1', () => {
        let raw = '';
        const answer = new Promise<string>((done) => {
          socket.on('data', (d) => (raw += d.toString()));
          socket.on('close', () => done(raw));
          socket.on('error', () => undefined);
        });
        resolve({ socket, answer });
      });
    });
  const held = [await open(), await open()];
  await new Promise((r) => setTimeout(r, 100));
  const extra = await open();
  extra.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(await extra.answer, '', 'closed without an answer');
  const [first] = held;
  first?.socket.write('GET /openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(status((await first?.answer) ?? ''), 200);
  for (const h of held) h.socket.destroy();
  await capped.close();
});

test('every answer under /integrations/zoom says no-store, errors and unknown paths included', async () => {
  const jwt = await platformJwt(stack.env.PLATFORM_JWT_SECRET, 'tutor-no-store');
  const cases: Array<[string, RequestInit?]> = [
    [`/integrations/zoom/connect?token=${jwt}`],
    ['/integrations/zoom/connect?reconnect=forged'],
    ['/integrations/zoom/callback?code=x&state=y'],
    ['/integrations/zoom'],
    ['/integrations/zoom', { headers: { authorization: `Bearer ${jwt}` } }],
    ['/integrations/zoom/no-such-route'],
    ['/Integrations/Zoom/callback'],
    ['/integrations/zoom', { method: 'PUT' }],
  ];
  for (const [path, init] of cases) {
    const res = await fetch(`${stack.api.url}${path}`, { redirect: 'manual', ...init });
    assert.ok(res.status < 500, `${path}: ${res.status}`);
    assert.equal(
      res.headers.get('cache-control'),
      'no-store',
      `${init?.method ?? 'GET'} ${path} (${res.status})`,
    );
  }
  const elsewhere = await fetch(`${stack.api.url}/healthz`);
  assert.equal(elsewhere.headers.get('cache-control'), null, 'only the connect flow is concerned');
});
