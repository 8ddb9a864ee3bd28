import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal as proto } from '@temporalio/proto';
import { INVALID_LESSON_INPUT } from '../../src/lessons/command-refusals';
import { LESSON_WORKFLOW_TYPE } from '../../src/lessons/ids';
import type { LessonState } from '../../src/lessons/types';
import {
  failedWorkflowTasks,
  rawPayloads,
  sendRawSignal,
  undecodablePayloads,
} from '../support/raw-payloads';
import { uniqueName } from '../support/temporal';
import { DAY, quickSettings, startBookedLesson, timesIn, until, useLessonHarness } from './lesson-harness';

/**
 * The lesson workflow checks its start input and every signal with the API's schemas. Whatever
 * arrives (sent by the Temporal CLI, any SDK, raw payloads), no workflow task fails: an invalid
 * start fails the lesson at once, naming the field; an invalid signal is dropped and counted, and
 * the next valid command still applies.
 */

const lessons = useLessonHarness();

type Input = {
  booking: Record<string, unknown> & { tutor: Record<string, unknown> };
  [key: string]: unknown;
};

function validInput(): Input {
  const lessonId = uniqueName('L');
  const person = (role: string) => ({ id: `${role}-${lessonId}`, email: `${role}@example.com`, name: role });
  return {
    booking: { id: lessonId, ...timesIn(2 * DAY), tutor: person('tutor'), student: person('student') },
    bookingHash: 'hash',
    settings: { ...quickSettings },
  };
}

const invalidStarts: Array<[what: string, spoil: (input: Input) => void, field: string]> = [
  ['a lesson id with a slash', (i) => (i.booking.id = 'a/b'), 'booking.id'],
  ['a start that is not an ISO date', (i) => (i.booking.startsAt = 'Tuesday 10am'), 'booking.startsAt'],
  ['Unix seconds for the end', (i) => (i.booking.endsAt = 1893456000), 'booking.endsAt'],
  ['an end before the start', (i) => (i.booking.endsAt = i.booking.startsAt), 'booking.endsAt'],
  ["a tutor's email that is not one", (i) => (i.booking.tutor.email = 'nobody'), 'booking.tutor.email'],
  ['the tutor as the student', (i) => (i.booking.student = i.booking.tutor), 'booking.student.id'],
  ['an unknown time zone', (i) => (i.booking.tutor.timeZone = 'Mars/Olympus'), 'booking.tutor.timeZone'],
  ['no booking hash', (i) => delete i.bookingHash, 'bookingHash'],
  [
    'a negative grace',
    (i) => ((i.settings as Record<string, unknown>).graceMinutes = -5),
    'settings.graceMinutes',
  ],
  ['no settings', (i) => delete i.settings, 'settings'],
];

const eventsOf = async (handle: WorkflowHandle) => (await handle.fetchHistory()).events ?? [];
const { EventType } = proto.api.enums.v1;

/** The lesson failed at once: not retryable, naming the field; no workflow task failed, nothing ran. */
async function assertFailsNaming(handle: WorkflowHandle, field: string): Promise<void> {
  await assert.rejects(handle.result(), (error: unknown) => {
    assert.ok(error instanceof WorkflowFailedError);
    assert.ok(error.cause instanceof ApplicationFailure, String(error.cause));
    assert.equal(error.cause.type, INVALID_LESSON_INPUT);
    assert.equal(error.cause.nonRetryable, true);
    assert.match(error.cause.message, new RegExp(`invalid lesson input: .*${field.replace('.', '\\.')}`));
    return true;
  });
  assert.equal(await failedWorkflowTasks(handle), 0);
  const ran = (await eventsOf(handle)).filter(
    (e) =>
      e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED ||
      e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  );
  assert.equal(ran.length, 0, 'no step ran');
}

describe('an invalid start input fails the lesson at once, naming the field', { concurrency: true }, () => {
  for (const [what, spoil, field] of invalidStarts) {
    test(`${what}: ${field}`, async () => {
      const input = validInput();
      spoil(input);
      const { client } = lessons().temporal;
      const handle = await client.workflow.start(LESSON_WORKFLOW_TYPE, {
        taskQueue: lessons().taskQueue,
        workflowId: uniqueName('lesson-meeting'),
        args: [input],
      });
      await assertFailsNaming(handle, field);
    });
  }

  for (const [what, payload] of Object.entries(undecodablePayloads)) {
    test(`an undecodable start input (${what}) fails the same way`, async () => {
      const { temporal, taskQueue } = lessons();
      const workflowId = uniqueName('lesson-meeting');
      await temporal.client.workflowService.startWorkflowExecution({
        namespace: temporal.namespace,
        workflowId,
        workflowType: { name: LESSON_WORKFLOW_TYPE },
        taskQueue: { name: taskQueue },
        input: { payloads: [payload()] },
        identity: 'raw-payload-test',
        requestId: randomUUID(),
      });
      await assertFailsNaming(temporal.client.workflow.getHandle(workflowId), 'undecodable payload');
    });
  }
});

describe('invalid signals are dropped, and never wedge the lesson', { concurrency: true }, () => {
  test('every invalid signal is counted and changes nothing; a valid reschedule, then a cancel, still apply', async () => {
    const { world, handle, times } = await startBookedLesson(lessons());
    const { json } = rawPayloads;
    const { startsAt, endsAt } = times.T2;
    const seconds = Math.floor(Date.parse(startsAt) / 1000);
    const dayLater = new Date(Date.parse(startsAt) + 25 * 3600_000).toISOString();
    const undecodable = Object.values(undecodablePayloads).map((p) => [p()]);
    const invalid: Array<[string, ReturnType<typeof json>[]]> = [
      ['reschedule', [json({ startsAt: 'Tuesday 10am', endsAt })]],
      ['reschedule', [json({ startsAt: seconds, endsAt: seconds + 3600 })]],
      ['reschedule', [json({ startsAt: endsAt, endsAt: startsAt })]], // its end before its start
      ['reschedule', [json({ startsAt, endsAt: dayLater })]], // longer than a day
      ['reschedule', [json({ startsAt })]],
      ['reschedule', [json({ startsAt, endsAt, requestId: 'two\nlines' })]],
      ['reschedule', [json({ startsAt, endsAt, requestId: 42 })]],
      ['reschedule', [json('2031-01-01T10:00:00Z')]],
      ['reschedule', [json({ startsAt, endsAt }), json({ startsAt, endsAt })]],
      ['reschedule', []],
      ['reschedule', [rawPayloads.binary()]],
      ['cancel', [json('now')]],
      ['cancel', [json({ requestId: '' })]],
      ['cancel', [json({}), json({})]],
      ['zoomDisconnected', [json({ tutorId: 'someone' })]],
      ...['reschedule', 'cancel', 'zoomDisconnected'].flatMap((name) =>
        undecodable.map((payloads): [string, ReturnType<typeof json>[]] => [name, payloads]),
      ),
    ];
    for (const [name, payloads] of invalid) await sendRawSignal(lessons().temporal, handle, name, payloads);
    await until(
      'all dropped',
      async () => (await handle.query<LessonState>('lessonState')).droppedSignals === invalid.length,
    );
    await new Promise((r) => setTimeout(r, 300));
    const state = await handle.query<LessonState>('lessonState');
    assert.equal(state.droppedSignals, invalid.length);
    assert.deepEqual(
      [state.status, state.provider, state.startsAt, state.version],
      ['booked', 'zoom', times.T1.startsAt, 1],
    );
    assert.deepEqual(world.calls, ['zoom.create@T1'], 'no provider call');
    assert.equal(await failedWorkflowTasks(handle), 0);

    await sendRawSignal(lessons().temporal, handle, 'reschedule', [json({ startsAt, endsAt })]);
    await until('the valid reschedule', () => world.calls.includes('zoom.update@T2'));
    await sendRawSignal(lessons().temporal, handle, 'cancel', []);
    assert.equal(((await handle.result()) as LessonState).status, 'cancelled');
    assert.deepEqual(world.calls, ['zoom.create@T1', 'zoom.update@T2', 'zoom.delete']);
    assert.equal(await failedWorkflowTasks(handle), 0);
  });

  test('a query with an argument is refused; the lesson answers without one', async () => {
    const { handle } = await startBookedLesson(lessons());
    // Its message is sealed by the codec (encodeCommonAttributes): a query's failure reaches the
    // client as the server's text, which the SDK does not decode.
    await assert.rejects(
      handle.query('lessonState', { lessonId: 'other' }),
      /Encoded failure|takes no input/,
    );
    assert.equal((await handle.query<LessonState>('lessonState')).status, 'booked');
    await handle.terminate('test over');
  });
});
