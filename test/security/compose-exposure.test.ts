import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';

const compose = parse(readFileSync(resolve(__dirname, '../../docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, { ports?: string[] }> };

/**
 * The API is the only way in: it checks the booking token, the platform JWT, signatures. Temporal's
 * frontend and UI check nothing, so a port published on every interface would let anyone who
 * reaches the host read histories and start, signal or terminate workflows.
 */
test('only the API is published beyond the host; every other published port is on loopback', () => {
  const published = Object.entries(compose.services).flatMap(([name, service]) =>
    (service.ports ?? []).map((port) => ({ name, port: String(port) })),
  );
  assert.ok(
    published.some((p) => p.name === 'temporal-frontend'),
    'Temporal is still reachable from the host',
  );
  for (const { name, port } of published) {
    if (name === 'api') continue;
    assert.match(port, /^127\.0\.0\.1:\d+:\d+$/, `${name} publishes ${port} on every interface`);
  }
});
