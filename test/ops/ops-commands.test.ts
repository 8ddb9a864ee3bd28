import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { KeyRing, generateKey } from '../../src/crypto/key-ring';
import { createOpsCommands } from '../../src/ops/commands';
import { startSweepProgressBar } from '../../src/ops/sweep-progress-bar';
import { connectZoom } from '../lessons/lesson-helpers';
import { useTestStack } from '../support/use-test-stack';
import { createStores } from '../../src/db/stores';

const stack = useTestStack();

/** A terminal that keeps what was drawn: the bar draws only on a TTY, each frame after a cursor move. */
function recordingTerminal(): { stream: NodeJS.WritableStream; frames: () => string[] } {
  let written = '';
  const stream = Object.assign(
    new Writable({ write: (chunk, _enc, done) => ((written += String(chunk)), done()) }),
    {
      isTTY: true,
      columns: 120,
    },
  );
  const frames = () =>
    written.split(/\x1B(?:\[[0-9;?]*[A-Za-z]|[78])/).filter((frame) => frame.trim() !== '');
  return { stream, frames };
}

const bar = (done: number, total: number) => {
  const filled = Math.round((done / total) * 40);
  return `Sweep [${'\u2588'.repeat(filled)}${'\u2591'.repeat(40 - filled)}] ${done}/${total} tokens`;
};

test('ops: a manual sweep draws its progress, history shows the connection, reencrypt moves old values to the new key', async () => {
  for (const tutor of ['tutor-ops', 'tutor-ops-2', 'tutor-ops-3']) await connectZoom(stack, tutor);
  const lines: string[] = [];
  const ops = createOpsCommands(stack.container, (line) => lines.push(line));
  const terminal = recordingTerminal();
  const progressBar = startSweepProgressBar(terminal.stream);
  const reports: Array<[number, number]> = [];
  const summary = (await ops.sweep((done, total) => {
    reports.push([done, total]);
    progressBar.update(done, total);
  })) as { validated: number; valid: number };
  progressBar.stop();
  assert.equal(summary.validated, 3);
  assert.equal(summary.valid, 3);

  // What the operator saw: an empty bar first, then counts of the 3 tokens that never go back
  // nor past the total, ending full at 3/3.
  const frames = terminal.frames();
  assert.equal(frames[0], bar(0, 1));
  assert.equal(frames.at(-1), bar(3, 3));
  const counts = frames.slice(1).map((frame) => {
    const [, done, total] = /\] (\d+)\/(\d+) tokens$/.exec(frame) ?? [];
    assert.equal(frame, bar(Number(done), Number(total)), 'the bar is filled as far as the count says');
    return Number(done);
  });
  assert.deepEqual(
    counts,
    [...counts].sort((a, b) => a - b),
    'the count never goes back',
  );
  assert.ok(reports.length > 0 && reports.every(([done, total]) => total === 3 && done <= 3), `${reports}`);

  await ops.history('tutor-ops');
  assert.ok(lines.some((l) => /connected/.test(l)));

  // Rotate: the current key becomes an old one; reencrypt rewrites every value under the new key.
  const oldKey = stack.env.TOKEN_ENCRYPTION_KEY;
  const rotated = new KeyRing(generateKey(), [oldKey]);
  const rotatedOps = createOpsCommands(
    { ...stack.container, keyRing: rotated, stores: createStores(stack.database.db, rotated) },
    (line) => lines.push(line),
  );
  assert.equal(await rotatedOps.reencrypt(), 3, "the three tutors' rows");
  const row = await stack.database.db('oauth_service_tokens').where({ user_id: 'tutor-ops' }).first();
  for (const column of ['access_token', 'refresh_token', 'code'])
    assert.equal(rotated.isStale(row[column]), false, column);
  assert.equal(await rotatedOps.reencrypt(), 0, 'a second run has nothing left to do');
});
