import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../../src/api/app';
import { createLessonsArea, type LessonsAreaDeps } from '../../src/api/routes/lessons';
import { createLogger } from '../../src/logger';

const token = 't'.repeat(24);

test('a caller without the booking token gets a 401 before any input is read, and nothing is touched', async () => {
  const touched: string[] = [];
  // Any use of the stores or the lesson commands is recorded: none may happen without a token.
  const spy = (name: string): unknown =>
    new Proxy(() => undefined, {
      get: (_t, key) => spy(`${name}.${String(key)}`),
      apply: () => (touched.push(name), Promise.resolve(undefined)),
    });
  const area = createLessonsArea({
    bookingApiToken: token,
    commands: spy('commands') as LessonsAreaDeps['commands'],
    meetings: spy('meetings') as LessonsAreaDeps['meetings'],
    lessons: spy('lessons') as LessonsAreaDeps['lessons'],
    meetingsStore: spy('meetingsStore') as LessonsAreaDeps['meetingsStore'],
  });
  const server = createApp({ logger: createLogger({ level: 'silent' }), areas: [area] }).listen(
    0,
    '127.0.0.1',
  );
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  const post = (path: string, body: string, headers: Record<string, string>) =>
    fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body, headers });
  try {
    const json = { 'content-type': 'application/json' };
    for (const [path, body, headers] of [
      ['/lessons', '{"id": 1}', json],
      ['/lessons', '{not json', json],
      ['/lessons', 'plain text', { 'content-type': 'text/plain' }],
      ['/lessons', 'x'.repeat(300 * 1024), json],
      ['/lessons/abc/reschedule', '{"startsAt": "yesterday"}', json],
      ['/lessons/bad%20id!/reschedule', '{}', json],
      ['/lessons/abc/reschedule', '{}', { ...json, authorization: 'Bearer wrong-token' }],
      ['/lessons/bad%20id!/cancel', '', {}],
    ] as const) {
      const res = await post(path, body, headers);
      const answer = (await res.json()) as { error: string; message: string };
      assert.equal(res.status, 401, `${path} ${body.slice(0, 20)}: ${answer.message}`);
      assert.equal(answer.error, 'unauthorized');
    }
    assert.deepEqual(touched, []);

    const withToken = await post('/lessons', '{"id": 1}', { ...json, authorization: `Bearer ${token}` });
    assert.equal(withToken.status, 400, 'with the token, the body is validated as before');
  } finally {
    server.close();
  }
});
