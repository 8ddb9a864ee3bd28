import assert from 'node:assert/strict';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import Koa from 'koa';
import { HttpError } from '../../src/api/http-error';
import { readRawBody } from '../../src/api/raw-body';

const LIMIT = 1024;
let server: Server;
let port: number;
const failures: unknown[] = [];

before(async () => {
  const app = new Koa();
  app.use(async (ctx) => {
    try {
      const first = await readRawBody(ctx, LIMIT);
      const again = await readRawBody(ctx, LIMIT);
      ctx.body = { bytes: first.length, same: first === again, text: first.toString('utf8') };
    } catch (error) {
      failures.push(error);
      if (error instanceof HttpError) {
        ctx.status = error.status;
        ctx.body = { error: error.code };
      } else throw error;
    }
  });
  app.on('error', () => undefined);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function send(
  chunks: Buffer[],
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ port, method: 'POST', path: '/', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', (error) => resolve({ error: error.message }));
    for (const c of chunks) req.write(c);
    req.end();
  });
}

test('reads the body bytes once, in several chunks, and returns the same buffer when asked again', async () => {
  const result = await send([Buffer.from('{"a":'), Buffer.from('"é"}')]);
  assert.ok('status' in result);
  assert.equal(result.status, 200);
  assert.deepEqual(JSON.parse(result.body), { bytes: 10, same: true, text: '{"a":"é"}' });
});

test('an empty body is zero bytes', async () => {
  const result = await send([]);
  assert.ok('status' in result);
  assert.deepEqual(JSON.parse(result.body), { bytes: 0, same: true, text: '' });
});

test('a declared length over the limit is 413 before anything is read', async () => {
  const body = Buffer.alloc(LIMIT + 1, 'x');
  const result = await send([body], { 'content-length': String(body.length) });
  assert.ok('status' in result);
  assert.equal(result.status, 413);
});

test('a chunked body that passes the limit is refused and the request dropped', async () => {
  failures.length = 0;
  const result = await send([Buffer.alloc(LIMIT, 'x'), Buffer.alloc(LIMIT, 'y')]);
  assert.ok('error' in result || result.status === 413, JSON.stringify(result));
  assert.ok(failures.some((e) => e instanceof HttpError && e.status === 413));
});

test('a client that goes away mid-body fails the read as a 400 incomplete_body (not a 500), without stopping the server', async () => {
  failures.length = 0;
  await new Promise<void>((resolve) => {
    const req = request({ port, method: 'POST', path: '/', headers: { 'content-length': '100' } });
    req.on('error', () => resolve());
    req.write('{"partial":');
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 50);
  });
  for (let i = 0; i < 500 && failures.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const [failure] = failures;
  assert.ok(failure instanceof HttpError, `an HttpError, not ${String(failure)}`);
  assert.deepEqual([failure.status, failure.code], [400, 'incomplete_body']);
  const after = await send([Buffer.from('ok')]);
  assert.ok('status' in after);
  assert.equal(after.status, 200);
});
