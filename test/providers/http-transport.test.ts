import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { providerFetch, type Classifier } from '../../src/providers/http';
import { expectProviderError } from './expect-provider-error';

/** providerFetch over the keep-alive pool: connections reused, fetch's behaviour kept. */

let server: Server;
let base: string;
let connections = 0;
const rejectAll: Classifier = () => ({ kind: 'rejected', message: 'no' });

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/moved') {
      res.writeHead(302, { location: '/me' });
      res.end();
    } else if (req.url === '/me') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-seen-auth': req.headers.authorization ?? '',
        'x-repeated': ['a', 'b'],
      });
      res.end('{"id":"u1"}');
    } else if (req.url === '/slow-body') {
      res.writeHead(200);
      res.write('{"id"');
    } else {
      res.writeHead(429, { 'retry-after': '3' });
      res.end('{"code":429,"message":"slow down"}');
    }
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const get = (path: string, timeoutMs = 2000) =>
  providerFetch(
    {
      provider: 'zoom',
      method: 'GET',
      url: `${base}${path}`,
      headers: { authorization: 'Bearer t0k3n' },
      timeoutMs,
    },
    rejectAll,
  );

test('sequential calls to one origin reuse kept-alive connections', async () => {
  const before = connections;
  for (let i = 0; i < 20; i++) assert.deepEqual((await get('/me')).body, { id: 'u1' });
  // undici (fetch's too) may alternate between two sockets while the first is being released
  assert.ok(connections - before <= 2, `${connections - before} connections for 20 calls`);
});

test('a same-origin redirect is followed, with the credentials, as fetch did', async () => {
  const answer = await get('/moved');
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get('X-Seen-Auth'), 'Bearer t0k3n');
  assert.equal(answer.headers.get('x-repeated'), 'a, b', 'a repeated header is joined, as Headers.get does');
  assert.equal(answer.headers.get('x-absent'), null);
});

test('an error answer keeps its Retry-After', async () => {
  const error = await expectProviderError(get('/limited'), { kind: 'transient', status: 429 }, ['t0k3n']);
  assert.equal(error.retryAfterMs, 3000);
});

test('a body that stops coming times out as a transient error; a refused connection keeps its code', async () => {
  await expectProviderError(get('/slow-body', 200), { kind: 'transient', code: 'timeout' });
  const refused = providerFetch(
    { provider: 'daily', method: 'GET', url: 'http://127.0.0.1:1/x', timeoutMs: 2000 },
    rejectAll,
  );
  await expectProviderError(refused, { kind: 'transient', code: 'ECONNREFUSED' });
});
