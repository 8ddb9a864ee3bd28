import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAreas } from '../../src/api/areas';
import { openApiPath } from '../../src/api/openapi';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
before(async () => (stack = await startTestStack({ worker: false })));
after(async () => stack?.close());

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
