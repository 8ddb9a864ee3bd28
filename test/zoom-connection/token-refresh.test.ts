import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { childProcessEnv } from '../../scripts/lib/child-process';
import { connectZoom } from '../support/connect-zoom';
import { useTestStack } from '../support/use-test-stack';

const stack = useTestStack({ worker: false });

test('50 concurrent getAccessToken calls on an expired token, from two processes, make exactly one refresh', async () => {
  const zoomUserId = await connectZoom(stack, 'tutor-race', 'race@example.com');
  await stack.database
    .db('oauth_service_tokens')
    .where({ user_id: 'tutor-race' })
    .update({ expires_at: new Date(Date.now() - 60_000) });
  const before = stack.zoom.refreshCount(zoomUserId);

  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, 'token-refresh-child.ts')], {
    env: childProcessEnv({
      RACE_CONFIG: JSON.stringify({
        databaseUrl: stack.database.url,
        key: stack.env.TOKEN_ENCRYPTION_KEY,
        zoom: stack.container.zoomConfig,
        userId: 'tutor-race',
        calls: 25,
      }),
    }),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  const lines: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
  while (!lines.includes('ready')) await new Promise((r) => setTimeout(r, 50));

  const service = stack.container.services.tokenService;
  child.stdin.end('go\n');
  const mine = await Promise.all(Array.from({ length: 25 }, () => service.getAccessToken('tutor-race')));
  await exited;
  const theirs: string[] = JSON.parse(lines.find((l) => l.startsWith('[')) as string);

  assert.equal(stack.zoom.refreshCount(zoomUserId) - before, 1, 'exactly one refresh at Zoom');
  assert.equal(new Set([...mine, ...theirs]).size, 1, 'everyone got the same new access token');
  assert.equal(await service.isZoomConnected('tutor-race'), true);
  const me = await stack.container.zoomApi.getMe(mine[0] as string);
  assert.equal(me.id, zoomUserId, 'the tutor stays connected: the new token works');
});

test('10 calls refused with a 124 on the same fresh-looking token make one refresh, not ten', async () => {
  const zoomUserId = await connectZoom(stack, 'tutor-124', 'refused@example.com');
  // Zoom's clock runs past the access token's hour while ours still counts it fresh.
  stack.zoom.clock.advance(2 * 3600_000);
  const before = stack.zoom.refreshCount(zoomUserId);
  try {
    const service = stack.container.services.tokenService;
    const users = await Promise.all(
      Array.from({ length: 10 }, () =>
        service.withAccessToken('tutor-124', (token) => stack.container.zoomApi.getMe(token)),
      ),
    );
    assert.deepEqual(new Set(users.map((u) => u.id)), new Set([zoomUserId]));
    assert.equal(stack.zoom.refreshCount(zoomUserId) - before, 1, 'one rotation: the others took its token');
  } finally {
    stack.zoom.clock.reset();
  }
});
