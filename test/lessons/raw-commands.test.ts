import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { lessonWorkflowId } from '../../src/lessons/ids';
import type { LessonState } from '../../src/lessons/types';
import { failedWorkflowTasks } from '../support/raw-payloads';
import { startTestStack, type TestStack } from '../support/stack';
import { api, booking, HOUR, meetingRow, waitFor } from './lesson-helpers';

/**
 * Commands sent straight to Temporal with its CLI, as an operator or the booking system's
 * developers may: malformed ones are dropped or refused, and never wedge the lesson. (The CLI
 * refuses to send bad JSON: test/workflows/lesson-inputs.test.ts sends it through gRPC.)
 */

const cli = process.env.TEMPORAL_CLI_PATH;
const CODEC_AUTH_TOKEN = randomBytes(32).toString('base64url');
let stack: TestStack;
before(async () => void (cli && (stack = await startTestStack({ env: { CODEC_AUTH_TOKEN } }))));
after(async () => stack?.close());

/** `temporal workflow …` against the suite's server: its exit, stdout and stderr. */
async function temporal(args: string[]): Promise<{ ok: boolean; out: string }> {
  const { address, namespace } = stack.temporal;
  try {
    const { stdout } = await promisify(execFile)(cli!, [
      'workflow',
      ...args,
      '--address',
      address,
      '--namespace',
      namespace,
      // As an operator runs it: payloads through the API's codec server, in clear.
      '--codec-endpoint',
      `${stack.api.url}/codec`,
      '--codec-auth',
      `Bearer ${CODEC_AUTH_TOKEN}`,
    ]);
    return { ok: true, out: stdout };
  } catch (error) {
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    return { ok: false, out: `${stdout}${stderr}` };
  }
}

test(
  'raw CLI signals and Updates: malformed ones are dropped or refused; a valid Update, then a cancel, still apply',
  { skip: !cli && 'TEMPORAL_CLI_PATH is not set: run with npm test' },
  async () => {
    const b = booking();
    assert.equal((await api(stack).book(b)).status, 202);
    const workflowId = lessonWorkflowId(b.id);
    const handle = stack.temporal.client.workflow.getHandle(workflowId);
    const row = await waitFor('the meeting', () => meetingRow(stack, b.id));
    const later = new Date(Date.parse(b.startsAt) + 2 * HOUR);
    const times = { startsAt: later.toISOString(), endsAt: new Date(later.getTime() + HOUR).toISOString() };
    const seconds = Math.floor(later.getTime() / 1000);

    const signal = (name: string, ...input: string[]) =>
      temporal(['signal', '-w', workflowId, '--name', name, ...input]);
    const sent = [
      await signal(
        'reschedule',
        '--input',
        JSON.stringify({ startsAt: 'Tuesday 10am', endsAt: times.endsAt }),
      ),
      await signal('reschedule', '--input', JSON.stringify({ startsAt: seconds, endsAt: seconds + 3600 })),
      await signal(
        'reschedule',
        '--input',
        JSON.stringify({ startsAt: times.endsAt, endsAt: times.startsAt }),
      ),
      await signal('reschedule', '--input', 'hello', '--input-meta', 'encoding=text/x-made-up'),
      await signal('cancel', '--input', '"now"'),
      await signal('zoomDisconnected', '--input', '{"tutorId": 42}'),
    ];
    for (const s of sent) assert.ok(s.ok, s.out);
    const state = await waitFor('every signal dropped', async () => {
      const s = await handle.query<LessonState>('lessonState');
      return s.droppedSignals === sent.length && s;
    });
    assert.deepEqual([state.status, state.startsAt, state.version], ['booked', b.startsAt, 1]);

    const update = (...input: string[]) =>
      temporal(['update', 'execute', '-w', workflowId, '--name', 'reschedule', ...input]);
    const refused = await update(
      '--input',
      JSON.stringify({ startsAt: 'Tuesday 10am', endsAt: times.endsAt }),
    );
    assert.equal(refused.ok, false);
    assert.match(refused.out, /InvalidLessonCommand/);
    assert.match(refused.out, /startsAt/, 'the refusal names the field, decoded by the codec server');
    const applied = await update('--input', JSON.stringify({ ...times, requestId: 'cli-1' }));
    assert.ok(applied.ok, applied.out);
    assert.match(applied.out, /superseded:false version:2/);
    assert.equal((await stack.database.db('lessons').where({ id: b.id }).first('version'))?.version, 2);

    const cancelled = await signal('cancel');
    assert.ok(cancelled.ok, cancelled.out);
    assert.equal(((await handle.result()) as LessonState).status, 'cancelled');
    assert.equal(
      stack.daily.rooms().find((r) => r.name === row.meetingId),
      undefined,
      'the Daily room is deleted',
    );
    assert.equal(await failedWorkflowTasks(handle), 0);
  },
);
