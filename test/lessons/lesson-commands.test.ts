import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { lessonSettings } from '../../src/lessons/settings';
import { admitBooking, BookingRejectedError } from '../../src/services/meetings/booking-admission';
import { createLessonCommands } from '../../src/services/meetings/lesson-commands';
import { temporalCallTiming } from '../../src/temporal/env';
import { zoomDeauthorizationWorkflowId } from '../../src/temporal/zoom-deauthorization';
import { startTestStack, type TestStack } from '../support/stack';
import { booking, connectZoom, emailsFor, HOUR, meetingRow, waitFor } from './lesson-helpers';

let stack: TestStack;
before(async () => (stack = await startTestStack()));
after(async () => stack?.close());

const commands = () => stack.container.services.lessonCommands;
const rejection = (reason: string, message?: RegExp) => (error: unknown) =>
  error instanceof BookingRejectedError &&
  error.reason === reason &&
  (!message || message.test(error.message));
const lessonStatus = async (id: string): Promise<string | undefined> =>
  (await stack.database.db('lessons').where({ id }).first('status'))?.status;
const laterTimes = (b: { startsAt: string }, hours = 2) => {
  const startsAt = new Date(Date.parse(b.startsAt) + hours * HOUR);
  return { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + HOUR).toISOString() };
};
/** A booking recorded while Temporal was out of reach (the API answered 503): a row, no workflow. */
async function recordedWithoutWorkflow() {
  const { booking: admitted, hash } = admitBooking(booking(), { now: stack.clock.now(), horizonDays: 400 });
  await stack.container.services.lessonMeetings.recordBooking(admitted, hash, lessonWorkflowId(admitted.id));
  return admitted;
}

test('a booking out of the window throws at once and records nothing', async () => {
  const b = booking({}, -3);
  assert.throws(() => commands().book(b), rejection('lesson_in_past'));
  assert.equal(await lessonStatus(b.id), undefined);
});

test('the same booking again is the same booking; another body under its id is refused', async () => {
  const b = booking();
  const first = await commands().book(b);
  const { joinUrl, participantJoinUrl, ...started } = first;
  assert.deepEqual(started, { lessonId: b.id, workflowId: lessonWorkflowId(b.id) });
  assert.match(`${joinUrl} ${participantJoinUrl}`, /\/join\?as=tutor.* \S+\/join\?as=student/);
  assert.deepEqual(await commands().book(b), first);
  await assert.rejects(commands().book({ ...b, title: 'Another lesson' }), rejection('booking_conflict'));
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  assert.equal(emailsFor(stack, b.id, 'booked').length, 2, 'booked once');
});

test('an unknown lesson is named as such; times out of the window are refused before any lookup', async () => {
  await assert.rejects(commands().reschedule('Lnobody', laterTimes(booking())), rejection('unknown_lesson'));
  await assert.rejects(commands().cancel('Lnobody'), rejection('unknown_lesson', /No lesson Lnobody/));
  assert.throws(
    () => commands().reschedule('Lnobody', laterTimes(booking(), -100)),
    rejection('lesson_in_past'),
  );
});

test('a lesson without workflow: a reschedule says to book it again, a cancel simply cancels it', async () => {
  const lesson = await recordedWithoutWorkflow();
  await assert.rejects(
    commands().reschedule(lesson.id, laterTimes(lesson)),
    rejection('lesson_not_active', /was never started/),
  );
  assert.equal(await lessonStatus(lesson.id), 'booked', 'a refused reschedule changes nothing');
  assert.equal((await commands().cancel(lesson.id)).state, 'not-running');
  assert.equal(await lessonStatus(lesson.id), 'cancelled');
  assert.equal((await commands().cancel(lesson.id)).state, 'not-running', 'a repeated cancel is accepted');
  await assert.rejects(
    commands().reschedule(lesson.id, laterTimes(lesson)),
    rejection('lesson_not_active', /is cancelled/),
  );
});

test("a tutor's upcoming Zoom lessons move to Daily, each told once; a tutor without lessons moves none", async () => {
  const b = booking();
  await connectZoom(stack, b.tutor.id);
  await commands().book(b);
  await waitFor('booked emails', async () => emailsFor(stack, b.id, 'booked').length === 2);
  assert.equal((await meetingRow(stack, b.id))?.provider, 'zoom');

  assert.equal(await commands().moveTutorLessonsToDaily('tutor-without-lessons'), 0);
  assert.equal((await meetingRow(stack, b.id))?.provider, 'zoom');
  assert.equal(await commands().moveTutorLessonsToDaily(b.tutor.id), 1);
  await waitFor('the lesson on Daily', async () => (await meetingRow(stack, b.id))?.provider === 'daily');
  assert.equal(await commands().moveTutorLessonsToDaily(b.tutor.id), 0, 'no Zoom lesson left');
});

test('a deauthorization starts one workflow per Zoom user and time, however often it is sent', async () => {
  const event = {
    zoomUserId: 'zoom-nobody',
    deleteUserData: false,
    deauthorizedAt: new Date().toISOString(),
  };
  // No worker: the first run is still under way when the webhook is redelivered.
  await stack.stopWorker();
  const first = await commands().startDeauthorization(event);
  const again = await commands().startDeauthorization(event);
  const later = await commands().startDeauthorization({
    ...event,
    deauthorizedAt: new Date(Date.now() + 1000).toISOString(),
  });
  await stack.startWorker();
  assert.equal(again, first, 'a repeat joins the run');
  assert.notEqual(later, first, 'a later deauthorization has its own');
  const handle = stack.temporal.client.workflow.getHandle(
    zoomDeauthorizationWorkflowId(event.zoomUserId, event.deauthorizedAt),
  );
  assert.deepEqual(await handle.result(), { tutorIds: [], lessonsMoved: 0 });
});

test('without the records (the typed client), a command reports whether the workflow ran', async () => {
  const temporalOnly = createLessonCommands({
    client: stack.temporal.client,
    taskQueue: stack.env.TEMPORAL_TASK_QUEUE,
    settings: lessonSettings(stack.env),
    timing: temporalCallTiming(stack.env),
    clock: stack.clock,
    horizonDays: 400,
  });
  const b = booking();
  assert.equal((await temporalOnly.reschedule(b.id, laterTimes(b))).state, 'not-running');
  assert.equal((await temporalOnly.cancel(b.id)).state, 'not-running');
  await temporalOnly.book(b);
  await waitFor('the row the workflow records', async () => (await lessonStatus(b.id)) === 'booked');
  assert.equal((await temporalOnly.cancel(b.id)).state, 'completed');
  await waitFor('cancelled', async () => (await lessonStatus(b.id)) === 'cancelled');
  await assert.rejects(temporalOnly.moveTutorLessonsToDaily(b.tutor.id), /records/);
});
