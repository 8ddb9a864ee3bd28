import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WorkflowUpdateFailedError, WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal as proto } from '@temporalio/proto';
import { LESSON_COMMAND_REFUSALS as REFUSED } from '../../src/lessons/command-refusals';
import { cancelUpdate, rescheduleUpdate } from '../../src/lessons/definitions';
import type { CancelResult, LessonState, RescheduleRequest } from '../../src/lessons/types';
import type { LessonTimes } from '../../src/lessons/schemas';
import { failedWorkflowTasks } from '../support/raw-payloads';
import type { LessonWorld } from './fake-lesson-world';
import { DAY, gate, shift, startBookedLesson, timesIn, until, useLessonHarness } from './lesson-harness';

/**
 * The reschedule and cancel Updates: validators refuse bad input before anything is written, the
 * handlers answer once the change is applied (or a newer command superseded it), and request ids
 * make a command apply once, whether it came as a signal or an Update.
 */

const lessons = useLessonHarness();

const reschedule = (handle: WorkflowHandle, request: RescheduleRequest) =>
  handle.executeUpdate(rescheduleUpdate, { args: [request] });
/** Without an id, as the Temporal CLI sends it: no argument at all. */
const cancel = (handle: WorkflowHandle, requestId?: string) =>
  requestId
    ? handle.executeUpdate(cancelUpdate, { args: [{ requestId }] })
    : (handle.executeUpdate('cancel') as Promise<CancelResult>);

/** A cancel the workflow has accepted (one still in flight when the lesson closes is aborted): its answer to come. */
async function acceptedCancel(handle: WorkflowHandle, requestId?: string): Promise<Promise<CancelResult>> {
  const update = requestId
    ? await handle.startUpdate(cancelUpdate, {
        args: [{ requestId }],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      })
    : await handle.startUpdate('cancel', { waitForStage: WorkflowUpdateStage.ACCEPTED });
  return update.result() as Promise<CancelResult>;
}

async function assertRefused(update: Promise<unknown>, type: string, message: RegExp): Promise<void> {
  await assert.rejects(update, (error: unknown) => {
    assert.ok(error instanceof WorkflowUpdateFailedError, String(error));
    assert.ok(error.cause instanceof ApplicationFailure, String(error.cause));
    assert.equal(error.cause.type, type);
    assert.match(error.cause.message, message);
    return true;
  });
}

const { EventType } = proto.api.enums.v1;
async function acceptedUpdates(handle: WorkflowHandle): Promise<number> {
  const { events } = await handle.fetchHistory();
  return (events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)
    .length;
}

/** A reschedule's answer once applied on the world's Zoom meeting. */
const appliedOnZoom = (world: LessonWorld, times: LessonTimes, version: number) => ({
  provider: 'zoom',
  meetingId: world.meeting?.id,
  ...times,
  version,
  superseded: false,
});

const state = (handle: WorkflowHandle) => handle.query<LessonState>('lessonState');
const updates = (calls: string[]) => calls.filter((c) => c.startsWith('zoom.update')).length;

describe('the reschedule and cancel Updates', { concurrency: true }, () => {
  test('a reschedule answers once the meeting has moved: its provider, meeting, times and version, no links', async () => {
    const { world, handle, times } = await startBookedLesson(lessons());
    const result = await reschedule(handle, times.T2);
    assert.deepEqual(result, appliedOnZoom(world, times.T2, 2));
    assert.deepEqual(world.calls, ['zoom.create@T1', 'zoom.update@T2']);
    await handle.terminate('test over');
  });

  test('an invalid Update is refused by its validator, naming the field, and nothing reaches the history', async () => {
    const { world, handle, times } = await startBookedLesson(lessons());
    const { startsAt, endsAt } = times.T2;
    await assertRefused(
      reschedule(handle, { startsAt: 'Tuesday 10am', endsAt }),
      REFUSED.invalid,
      /startsAt/,
    );
    await assertRefused(
      reschedule(handle, { startsAt: endsAt, endsAt: startsAt }),
      REFUSED.invalid,
      /endsAt/,
    );
    const badId = { startsAt, endsAt, requestId: 7 } as unknown as RescheduleRequest;
    await assertRefused(reschedule(handle, badId), REFUSED.invalid, /requestId/);
    const badCancel = handle.executeUpdate(cancelUpdate, { args: ['now' as never] });
    await assertRefused(badCancel, REFUSED.invalid, /cancel: input/);
    assert.equal(await acceptedUpdates(handle), 0);
    assert.equal(await failedWorkflowTasks(handle), 0);
    assert.deepEqual(world.calls, ['zoom.create@T1']);
    await handle.terminate('test over');
  });

  test('a request id applies once and is answered the same; with another body it is refused, as an Update or a signal', async () => {
    const { world, handle, times } = await startBookedLesson(lessons());
    const first = await reschedule(handle, { ...times.T2, requestId: 'move-1' });
    assert.deepEqual(await reschedule(handle, { ...times.T2, requestId: 'move-1' }), first);
    await assertRefused(
      reschedule(handle, { ...times.T3, requestId: 'move-1' }),
      REFUSED.requestIdReused,
      /move-1/,
    );
    await assertRefused(cancel(handle, 'move-1'), REFUSED.requestIdReused, /move-1/);
    await handle.signal('reschedule', { ...times.T3, requestId: 'move-1' }); // another body: dropped
    await handle.signal('reschedule', { ...times.T2, requestId: 'move-1' }); // a repeat: nothing
    await handle.signal('reschedule', times.T1); // no id: applies, so the repeat had its chance to act
    await until('T1 again', () => world.calls.includes('zoom.update@T1'));
    assert.equal((await state(handle)).droppedSignals, 1);
    assert.deepEqual(world.calls, ['zoom.create@T1', 'zoom.update@T2', 'zoom.update@T1']);
    assert.equal(await acceptedUpdates(handle), 2);
    await handle.terminate('test over');
  });

  test('a signal, then an Update with its request id (the API falling back and retrying): applied once, answered', async () => {
    const { world, handle, times } = await startBookedLesson(lessons());
    await handle.signal('reschedule', { ...times.T2, requestId: 'queued-job-9' });
    const result = await reschedule(handle, { ...times.T2, requestId: 'queued-job-9' });
    assert.deepEqual([result.startsAt, result.version, result.superseded], [times.T2.startsAt, 2, false]);
    assert.equal(updates(world.calls), 1);
    await handle.terminate('test over');
  });

  test('a reschedule to the times last asked for does nothing, and answers the meeting as it is', async () => {
    const { world, handle, times } = await startBookedLesson(lessons());
    const result = await reschedule(handle, times.T1);
    assert.deepEqual(result, appliedOnZoom(world, times.T1, 1));
    assert.deepEqual(world.calls, ['zoom.create@T1']);
    await handle.terminate('test over');
  });

  test('a newer reschedule supersedes one under way: the older answers at once, superseded; the newer once applied', async () => {
    const { world, handle, times } = await startBookedLesson(lessons());
    const held = gate();
    world.hold.reschedule = held.promise;
    const older = reschedule(handle, times.T2);
    await until('T2 under way', () => world.entered.includes('rescheduleLessonMeeting'));
    const newer = reschedule(handle, times.T3);
    const olderResult = await older; // answered while T2's step is still held
    assert.deepEqual([olderResult.superseded, olderResult.startsAt], [true, times.T1.startsAt]);
    held.open();
    const newerResult = await newer;
    assert.deepEqual(
      [newerResult.superseded, newerResult.startsAt, newerResult.version],
      [false, times.T3.startsAt, 3],
    );
    assert.deepEqual(world.calls, ['zoom.create@T1', 'zoom.update@T2', 'zoom.update@T3']);
    await handle.terminate('test over');
  });

  test('an Update while the booking runs answers once the lesson is booked and moved to its times', async () => {
    const T1 = timesIn(2 * DAY);
    const held = gate();
    const { world, handle } = await lessons().start({
      times: { T1, T2: shift(T1, DAY) },
      prepare: (w) => void (w.hold.booking = held.promise),
    });
    await until('the booking under way', () => world.entered.includes('bookLessonMeeting'));
    const moved = reschedule(handle, shift(T1, DAY));
    await new Promise((r) => setTimeout(r, 300));
    held.open();
    const result = await moved;
    assert.deepEqual(
      [result.provider, result.startsAt, result.version, result.superseded],
      ['zoom', shift(T1, DAY).startsAt, 2, false],
    );
    assert.deepEqual(world.calls, ['zoom.create@T1', 'zoom.update@T2']);
    await handle.terminate('test over');
  });

  test('a cancel answers once the meeting is gone; a reschedule retrying Zoom answers superseded at once', async () => {
    const { world, handle, times } = await startBookedLesson(lessons());
    world.zoomDown = true;
    const underWay = reschedule(handle, times.T2);
    await until('T2 retrying Zoom', () => world.refused.filter((c) => c === 'zoom.update').length >= 2);
    const cancelled = await acceptedCancel(handle, 'cancel-1');
    assert.equal((await underWay).superseded, true);
    const answer = await cancelled;
    const final = (await handle.result()) as LessonState;
    assert.deepEqual(answer, { status: 'cancelled', version: final.version });
    assert.equal(final.status, 'cancelled');
    assert.deepEqual(world.calls, ['zoom.create@T1', 'zoom.delete']);
  });

  // A step held in a local activity holds its workflow task: Updates sent meanwhile wait on the
  // server, and reach the workflow together once it ends (one sent as the lesson closes is aborted).
  test('every cancel of a lesson gets the same answer, with a request id or without', async () => {
    const { world, handle, times } = await startBookedLesson(lessons());
    const held = gate();
    world.hold.reschedule = held.promise;
    const moved = reschedule(handle, times.T2);
    await until('T2 under way', () => world.entered.includes('rescheduleLessonMeeting'));
    const cancels = [cancel(handle, 'cancel-1'), cancel(handle), cancel(handle, 'cancel-1')];
    await new Promise((r) => setTimeout(r, 1000));
    held.open();
    assert.equal((await moved).superseded, false); // applied before the cancels were taken
    const [first, ...others] = await Promise.all(cancels);
    assert.equal(first?.status, 'cancelled');
    for (const other of others) assert.deepEqual(other, first);
    assert.equal(((await handle.result()) as LessonState).version, first?.version);
    assert.deepEqual(world.calls, ['zoom.create@T1', 'zoom.update@T2', 'zoom.delete']);
  });
});
