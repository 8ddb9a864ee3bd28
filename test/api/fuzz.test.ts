import assert from 'node:assert/strict';
import { test } from 'node:test';
import { METHODS } from 'node:http';
import fc from 'fast-check';
import { platformJwt } from '../support/browser';
import { send } from '../support/raw-request';
import { useTestStack } from '../support/use-test-stack';
import { unsafeCharacters } from '../support/unsafe-text';

const stack = useTestStack({ worker: false });

const routes = [
  ['POST', '/lessons'],
  ['POST', '/lessons/abc/reschedule'],
  ['POST', '/lessons/abc/cancel'],
  ['GET', '/lessons/abc/meeting'],
  ['GET', '/meetings/abc/join'],
  ['GET', '/integrations/zoom/connect'],
  ['POST', '/integrations/zoom/connect-sessions'],
  ['GET', '/integrations/zoom/connect-sessions/abc'],
  ['GET', '/integrations/zoom/callback'],
  ['POST', '/integrations/zoom/grants/abc/confirm'],
  ['POST', '/integrations/zoom/confirmation'],
  ['GET', '/integrations/zoom'],
  ['DELETE', '/integrations/zoom'],
  ['POST', '/webhooks/zoom'],
] as const;

/** Text of the character classes the edge refuses (C0, DEL, C1, bidi, separators) among plain ones. */
const unsafeText = (maxLength: number) =>
  fc.string({
    unit: fc.oneof(fc.constantFrom(...unsafeCharacters), fc.constantFrom('a', '1', '-', '@', '.')),
    maxLength,
  });

/** A booking whose every text field may carry such characters, or be far too long. */
const unsafeBooking = fc
  .record({
    id: fc.oneof(unsafeText(70), fc.constant('L'.repeat(65))),
    title: unsafeText(40),
    startsAt: fc.constantFrom('2030-01-01T10:00:00Z', '9999-12-31T10:00:00Z'),
    endsAt: fc.constantFrom('2030-01-01T11:00:00Z', '9999-12-31T11:00:00Z'),
    tutor: fc.record({ id: unsafeText(70), email: unsafeText(300), name: unsafeText(40) }),
    student: fc.record({
      id: unsafeText(70),
      email: fc.constant(`${'a'.repeat(10_000)}@example.com`),
      name: unsafeText(40),
    }),
  })
  .map((b) => JSON.stringify(b));

const counts = async () => {
  const tables = [
    'users',
    'lessons',
    'meetings',
    'oauth_service_tokens',
    'sent_emails',
    'one_time_nonces',
    'zoom_connect_sessions',
    'zoom_pending_grants',
  ];
  return Promise.all(
    tables.map(async (t) =>
      Number(((await stack.database.db(t).count('* as c')) as Array<{ c: string }>)[0]?.c),
    ),
  );
};

test('random and malformed requests to every route never get a 5xx and write nothing', async () => {
  const before = await counts();
  const serverErrors: string[] = [];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...routes),
      fc.oneof(
        fc.json(),
        fc.string(),
        fc.constant('{"id":"x","startsAt":"2020-01-01T00:00:00Z"}'),
        unsafeBooking,
      ),
      fc.dictionary(
        fc.constantFrom('as', 'exp', 'sig', 'token', 'reconnect', 'code', 'state', 'error'),
        fc.oneof(fc.string({ maxLength: 40 }), unsafeText(40)),
      ),
      fc.constantFrom('application/json', 'text/plain', ''),
      fc.oneof(
        fc.constant(''),
        fc.constant(`Bearer ${stack.env.BOOKING_API_TOKEN}`),
        fc.string({ maxLength: 30 }).map((s) => `Bearer ${s}`),
      ),
      fc.option(unsafeText(70), { nil: undefined }),
      fc.option(fc.tuple(fc.string({ maxLength: 70 }), fc.integer()), { nil: undefined }),
      async ([method, path], body, query, contentType, authorization, pathId, signature) => {
        const headers: Record<string, string> = {};
        if (contentType) headers['content-type'] = contentType;
        if (authorization) headers.authorization = authorization;
        if (signature)
          Object.assign(headers, {
            'x-zm-signature': signature[0].replace(/[^\x20-\x7e]/g, ''),
            'x-zm-request-timestamp': String(signature[1]),
          });
        const routed = pathId === undefined ? path : path.replace('/abc', `/${encodeURIComponent(pathId)}`);
        const url = `${stack.api.url}${routed}?${new URLSearchParams(query)}`;
        const res = await fetch(url, {
          method,
          headers,
          body: method === 'GET' || method === 'DELETE' ? undefined : body,
          redirect: 'manual',
        });
        if (res.status >= 500) serverErrors.push(`${method} ${url} → ${res.status}: ${await res.text()}`);
      },
    ),
    { numRuns: 300, seed: 42 },
  );
  assert.deepEqual(serverErrors, []);
  assert.deepEqual(await counts(), before, 'no row was written');
});

test('every HTTP method Node accepts, on every route and an unknown path, is answered below 500', async () => {
  const before = await counts();
  const serverErrors: string[] = [];
  // CONNECT opens a tunnel, not a request: Node closes it before the app sees it.
  for (const method of METHODS.filter((m) => m !== 'CONNECT'))
    for (const path of [...new Set(routes.map(([, p]) => p)), '/nope', '/webhooks/sendgrid']) {
      const answer = await send(`${stack.api.url}${path}`, method);
      if (answer.status >= 500) serverErrors.push(`${method} ${path} → ${answer.status}: ${answer.body}`);
    }
  assert.deepEqual(serverErrors, []);
  assert.deepEqual(await counts(), before, 'no row was written');
});

test('the connect flow, fuzzed with a valid platform JWT and any code, id or form: below 500, and nothing written', async () => {
  const before = await counts();
  const jwt = await platformJwt(stack.env.PLATFORM_JWT_SECRET, 'tutor-fuzz');
  const serverErrors: string[] = [];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(
        'grants/:x/confirm',
        'connect-sessions/:x',
        'confirmation',
        'callback?code=:x&state=:x',
      ),
      fc.string({ maxLength: 120 }),
      fc.oneof(fc.string(), fc.webQueryParameters()),
      async (shape, value, body) => {
        const path = shape.replaceAll(':x', encodeURIComponent(value));
        const method = shape.startsWith('grants') || shape === 'confirmation' ? 'POST' : 'GET';
        const res = await fetch(`${stack.api.url}/integrations/zoom/${path}`, {
          method,
          headers: {
            authorization: `Bearer ${jwt}`,
            origin: stack.env.PUBLIC_BASE_URL,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: method === 'POST' ? body : undefined,
          redirect: 'manual',
        });
        if (res.status >= 500) serverErrors.push(`${method} ${path} → ${res.status}: ${await res.text()}`);
      },
    ),
    { numRuns: 200, seed: 7 },
  );
  assert.deepEqual(serverErrors, []);
  assert.deepEqual(await counts(), before, 'no row was written');
});
