import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { ENCRYPTED_ENCODING } from '../../src/temporal/payload-codec';
import { api, booking, waitFor } from '../lessons/lesson-helpers';
import { secret, startTestStack, type TestStack } from '../support/stack';

const UI_ORIGIN = 'https://ui.example.test';
const CODEC_AUTH_TOKEN = secret(32);
let stack: TestStack;

before(async () => {
  stack = await startTestStack({ env: { CODEC_AUTH_TOKEN, CODEC_CORS_ORIGINS: UI_ORIGIN } });
});
after(() => stack?.close());

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const codec = (action: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${stack.api.url}/codec/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': stack.env.TEMPORAL_NAMESPACE, ...headers },
    body: JSON.stringify(body),
  });
const withToken = { authorization: `Bearer ${CODEC_AUTH_TOKEN}` };

/** The lesson's input as the Temporal server stores it: proto3 JSON, as the UI sends it on. */
async function storedLessonInput(lessonId: string): Promise<JsonPayload> {
  const { history } = await stack.temporal.connection.workflowService.getWorkflowExecutionHistory({
    namespace: stack.env.TEMPORAL_NAMESPACE,
    execution: { workflowId: lessonWorkflowId(lessonId) },
  });
  const [payload] = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads ?? [];
  assert.ok(payload, 'the lesson has an input');
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  return {
    metadata: Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
    data: b64(payload.data ?? new Uint8Array()),
  };
}

const decodedText = (p: JsonPayload): string => Buffer.from(p.data ?? '', 'base64').toString();

test('the codec server decodes the lesson input the worker stored encrypted, for the holder of CODEC_AUTH_TOKEN', async () => {
  const b = booking();
  assert.equal((await api(stack).book(b)).status, 202);
  const stored = await waitFor('the lesson started', () => storedLessonInput(b.id).catch(() => undefined));
  assert.equal(Buffer.from(stored.metadata?.encoding ?? '', 'base64').toString(), ENCRYPTED_ENCODING);
  assert.ok(!decodedText(stored).includes(b.student.email), 'the stored input is not in clear');

  const response = await codec('decode', { payloads: [stored] }, withToken);
  assert.equal(response.status, 200);
  const { payloads } = (await response.json()) as { payloads: JsonPayload[] };
  assert.equal(Buffer.from(payloads[0]?.metadata?.encoding ?? '', 'base64').toString(), 'json/plain');
  const input = JSON.parse(decodedText(payloads[0] ?? {})) as { booking: typeof b };
  assert.equal(input.booking.student.email, b.student.email);
  assert.equal(input.booking.tutor.name, b.tutor.name);
});

test('encode then decode gives the payload back; a payload it never encrypted passes through', async () => {
  const plain = {
    metadata: { encoding: Buffer.from('json/plain').toString('base64') },
    data: Buffer.from('{"name":"Sam Student"}').toString('base64'),
  };
  const encoded = (await (await codec('encode', { payloads: [plain] }, withToken)).json()) as {
    payloads: JsonPayload[];
  };
  assert.ok(!decodedText(encoded.payloads[0] ?? {}).includes('Sam Student'));
  const decoded = (await (await codec('decode', encoded, withToken)).json()) as { payloads: JsonPayload[] };
  assert.deepEqual(decoded.payloads, [plain]);
  const passedThrough = (await (await codec('decode', { payloads: [plain] }, withToken)).json()) as {
    payloads: JsonPayload[];
  };
  assert.deepEqual(passedThrough.payloads, [plain]);
});

test('without the token, or with another, the codec server refuses and decodes nothing', async () => {
  const stored = { payloads: [{ metadata: {}, data: '' }] };
  const attempts: Array<Record<string, string>> = [
    {},
    { authorization: `Bearer ${secret(32)}` },
    { authorization: CODEC_AUTH_TOKEN },
  ];
  for (const headers of attempts) {
    const response = await codec('decode', stored, headers);
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: string }).error, 'unauthorized');
  }
});

test('bad bodies are a 400; a payload under an unknown key is a 422 naming the setting', async () => {
  assert.equal((await codec('decode', { payloads: 'x' }, withToken)).status, 400);
  const foreign = {
    metadata: {
      encoding: Buffer.from(ENCRYPTED_ENCODING).toString('base64'),
      'encryption-key-id': Buffer.from('deadbeef').toString('base64'),
    },
    data: Buffer.alloc(40).toString('base64'),
  };
  const response = await codec('decode', { payloads: [foreign] }, withToken);
  assert.equal(response.status, 422);
  assert.match(((await response.json()) as { message: string }).message, /PAYLOAD_ENCRYPTION_OLD_KEYS/);
});

test("CORS: the UI's origin gets its preflight (Content-Type, X-Namespace, Authorization) and its answers; others get none", async () => {
  const preflight = (origin: string) =>
    fetch(`${stack.api.url}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace,authorization',
      },
    });
  const allowed = await preflight(UI_ORIGIN);
  assert.equal(allowed.status, 204);
  assert.equal(allowed.headers.get('access-control-allow-origin'), UI_ORIGIN);
  assert.match(allowed.headers.get('access-control-allow-methods') ?? '', /POST/);
  for (const header of ['Content-Type', 'X-Namespace', 'Authorization'])
    assert.match(allowed.headers.get('access-control-allow-headers') ?? '', new RegExp(header));

  const stranger = await preflight('https://evil.example.test');
  assert.equal(stranger.headers.get('access-control-allow-origin'), null);

  const answer = await codec('decode', { payloads: [] }, { ...withToken, origin: UI_ORIGIN });
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get('access-control-allow-origin'), UI_ORIGIN);
  const refused = await codec('decode', { payloads: [] }, { origin: UI_ORIGIN });
  assert.equal(refused.status, 401);
  assert.equal(refused.headers.get('access-control-allow-origin'), UI_ORIGIN, 'the UI can read the refusal');
});

test('the codec server answers its own methods, before the API routes: GET is a 405 naming POST, other paths a 404', async () => {
  const get = await fetch(`${stack.api.url}/codec/decode`);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST, OPTIONS');
  assert.equal((await fetch(`${stack.api.url}/codec/other`, { method: 'POST' })).status, 404);
});
