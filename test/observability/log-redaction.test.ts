import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger } from '../../src/logger';
import { ProviderError } from '../../src/providers/provider-error';

function logged(line: Record<string, unknown>): string {
  const lines: string[] = [];
  const logger = createLogger(
    { level: 'info' },
    new Writable({ write: (chunk, _e, done) => (lines.push(String(chunk)), done()) }),
  );
  logger.error(line, 'failed');
  return lines.join('');
}

test("errors' codes stay readable (Zoom 124, ECONNREFUSED); an OAuth code is censored wherever it travels", () => {
  const zoom = new ProviderError({ provider: 'zoom', kind: 'invalid-connection', code: 124, message: 'x' });
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const output = logged({
    err: zoom,
    cause: refused,
    code: 'P0001',
    req: { query: { code: 'oauth-code-1' } },
    form: { code: 'oauth-code-2', grant_type: 'authorization_code' },
    request: { body: { code: 'oauth-code-3' } },
  });
  const line = JSON.parse(output) as { err: { code: unknown }; cause: { code: unknown }; code: unknown };
  assert.equal(line.err.code, 124);
  assert.equal(line.cause.code, 'ECONNREFUSED');
  assert.equal(line.code, 'P0001');
  for (const secret of ['oauth-code-1', 'oauth-code-2', 'oauth-code-3'])
    assert.ok(!output.includes(secret), `${secret} leaked: ${output}`);
});
