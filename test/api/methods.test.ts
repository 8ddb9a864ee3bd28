import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createApp } from '../../src/api/app';
import { createHealthArea } from '../../src/api/routes/health';
import { createLogger } from '../../src/logger';
import { send } from '../support/raw-request';

test('an unsupported method is a 405 with Allow on a known path, a 404 elsewhere, and logs no error', async () => {
  const lines: string[] = [];
  const logger = createLogger(
    { level: 'info' },
    new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }),
  );
  const server = createApp({ logger, areas: [createHealthArea([], logger)] }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  try {
    for (const method of ['PURGE', 'PROPFIND', 'PUT', 'TRACE']) {
      const answer = await send(`${base}/healthz`, method);
      assert.equal(answer.status, 405, `${method} /healthz`);
      assert.equal(answer.allow, 'HEAD, GET');
      assert.equal((JSON.parse(answer.body) as { error: string }).error, 'method_not_allowed');
    }
    assert.equal((await send(`${base}/nope`, 'PROPFIND')).status, 404);
    assert.equal((await send(`${base}/nope`, 'POST')).status, 404);
    const options = await send(`${base}/readyz`, 'OPTIONS');
    assert.equal(options.status, 204);
    assert.equal(options.allow, 'HEAD, GET');
    assert.equal((await send(`${base}/healthz`, 'HEAD')).status, 200);
    assert.deepEqual(lines, [], 'nothing logged at info level or above');
  } finally {
    server.close();
  }
});
