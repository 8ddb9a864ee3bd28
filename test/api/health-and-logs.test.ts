import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createApp } from '../../src/api/app';
import { createHealthArea } from '../../src/api/routes/health';
import { createLogger } from '../../src/logger';

test('/readyz answers 503 naming the check that failed, its reason only logged; /healthz stays 200', async () => {
  const lines: string[] = [];
  const logger = createLogger(
    { level: 'info' },
    new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }),
  );
  const app = createApp({
    logger,
    areas: [
      createHealthArea(
        [
          {
            name: 'postgres',
            check: async () => Promise.reject(new Error('password authentication failed for user "svc"')),
          },
          { name: 'temporal', check: async () => undefined },
        ],
        logger,
      ),
    ],
  });
  const server = app.listen(0);
  const { port } = server.address() as { port: number };
  try {
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.equal(ready.status, 503);
    assert.deepEqual(await ready.json(), {
      status: 'unavailable',
      checks: { postgres: 'down', temporal: 'ok' },
    });
    const logged = lines.map(
      (l) => JSON.parse(l) as { msg: string; check?: string; err?: { message: string } },
    );
    assert.deepEqual(
      logged.map((l) => [l.msg, l.check, l.err?.message]),
      [['readiness check failed', 'postgres', 'password authentication failed for user "svc"']],
    );
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    const unknown = await fetch(`http://127.0.0.1:${port}/nope`);
    assert.equal(unknown.status, 404);
    // Hardening headers on every answer, errors included.
    for (const res of [ready, unknown])
      assert.deepEqual(
        ['x-content-type-options', 'referrer-policy'].map((h) => res.headers.get(h)),
        ['nosniff', 'no-referrer'],
      );
    assert.match(unknown.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(((await unknown.json()) as { error: string }).error, 'not_found');
  } finally {
    server.close();
  }
});

test('logs redact tokens, codes, passwords and Authorization headers, also inside rethrown HTTP client errors', () => {
  const lines: string[] = [];
  const logger = createLogger(
    { level: 'info' },
    new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }),
  );
  const sendgridLike = Object.assign(new Error('Unauthorized'), {
    config: { headers: { Authorization: 'Bearer SG.super-secret' } },
    response: { request: { headers: { Authorization: 'Bearer SG.super-secret' } } },
  });
  logger.error(
    {
      err: sendgridLike,
      access_token: 'tok-1',
      tokens: { refresh_token: 'tok-2' },
      req: { headers: { authorization: 'Bearer tok-3' } },
      password: 'p4ss',
    },
    'failed',
  );
  const output = lines.join('');
  for (const secret of ['SG.super-secret', 'tok-1', 'tok-2', 'tok-3', 'p4ss'])
    assert.ok(!output.includes(secret), `${secret} leaked: ${output}`);
  assert.match(output, /\[redacted\]/);
});
