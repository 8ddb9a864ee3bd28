import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAreas } from '../../src/api/areas';
import { openApiPath } from '../../src/api/openapi';
import { specOf, validateResponse } from '../support/openapi-validator';
import { useTestStack } from '../support/use-test-stack';

const stack = useTestStack({ worker: false });

test('/openapi.json documents exactly the routes the API serves, with their schemas', async () => {
  const document = (await (await fetch(`${stack.api.url}/openapi.json`)).json()) as {
    openapi: string;
    paths: Record<string, Record<string, { responses: object; requestBody?: unknown }>>;
  };
  assert.equal(document.openapi, '3.1.0');
  const documented = Object.entries(document.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
  const mounted = createAreas(stack.container).flatMap((area) =>
    area.router.stack.flatMap((layer) =>
      layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${openApiPath(String(layer.path))}`),
    ),
  );
  assert.deepEqual([...new Set(mounted)].sort(), [...new Set(documented)].sort());
  const book = document.paths['/lessons']?.post;
  assert.ok(book?.requestBody, 'the booking body is documented from its zod schema');
  assert.match(JSON.stringify(book.requestBody), /"startsAt"/);
});

test('the answers of reading a body (413, 415) are documented on the routes that give them', async () => {
  const spec = specOf(await (await fetch(`${stack.api.url}/openapi.json`)).json());
  const booking = { authorization: `Bearer ${stack.env.BOOKING_API_TOKEN}` };
  const json = { ...booking, 'content-type': 'application/json' };
  const big = (kib: number) => `"${'x'.repeat(kib * 1024)}"`;
  // Signature headers (not checked yet): without them a webhook is refused before its size is.
  const zoomSigned = {
    'content-type': 'application/json',
    'x-zm-signature': 'v0=0',
    'x-zm-request-timestamp': '1',
  };
  const sendgridSigned = {
    'content-type': 'application/json',
    'x-twilio-email-event-webhook-signature': 'x',
    'x-twilio-email-event-webhook-timestamp': '1',
  };
  const cases = [
    ['/lessons', '/lessons', 413, json, big(300)],
    ['/lessons', '/lessons', 415, { ...booking, 'content-type': 'text/plain' }, 'hello'],
    ['/lessons/abc/reschedule', '/lessons/{id}/reschedule', 413, json, big(300)],
    [
      '/lessons/abc/reschedule',
      '/lessons/{id}/reschedule',
      415,
      { ...booking, 'content-type': 'text/xml' },
      '<a/>',
    ],
    ['/webhooks/zoom', '/webhooks/zoom', 413, zoomSigned, big(300)],
    ['/webhooks/sendgrid', '/webhooks/sendgrid', 413, sendgridSigned, big(2100)],
  ] as const;
  for (const [path, template, status, headers, body] of cases) {
    const res = await fetch(`${stack.api.url}${path}`, { method: 'POST', headers, body });
    const answer: unknown = await res.json();
    assert.equal(res.status, status, `POST ${path}: ${JSON.stringify(answer)}`);
    assert.deepEqual(
      validateResponse(spec, 'POST', template, status, answer),
      [],
      `POST ${template} ${status}`,
    );
  }
});
