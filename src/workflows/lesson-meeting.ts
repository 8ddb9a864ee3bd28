import {
  ActivityFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { LessonActivities } from '../activities/lessons';
import { MeetingProvider } from '../temporal/search-attributes';
import {
  cancelSignal,
  lessonStateQuery,
  rescheduleSignal,
  zoomDisconnectedSignal,
  type LessonMeetingInput,
  type LessonState,
  type RescheduleRequest,
} from './definitions/lesson';

const MINUTE = 60_000;

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' };

/**
 * Lessons started since this patch run their steps as local activities: a booking then takes one
 * workflow task instead of three, which is what a burst of bookings is bounded by. Lessons started
 * before keep their activities, so their histories still replay.
 */
const LOCAL_STEPS_PATCH = 'lesson-steps-as-local-activities';

/**
 * Lessons since this patch let a cancel preempt a reschedule that is still running or waiting out
 * a provider's Retry-After (Zoom's daily limit runs to midnight), and set the MeetingProvider
 * search attribute when a reschedule falls back to Daily.
 */
const CANCEL_PREEMPTS_RESCHEDULE_PATCH = 'cancel-preempts-reschedule';

/**
 * Reschedules since this patch give Zoom until the new start minus the margin, as a booking does,
 * then move the lesson to Daily: before, a Zoom answering 5xx held the reschedule for good. That
 * step is a regular activity, whose deadline the server keeps: a local activity's can pass unseen
 * during a backoff, and one that times out as its retry is scheduled fails to replay (SDK 1.24).
 */
const RESCHEDULE_DEADLINE_PATCH = 'reschedule-deadline';

/**
 * Runs a step until it ends or `cancelled()` holds, whichever is first; then the step's scope is
 * cancelled. An activity waiting for its next retry stops at once; one whose attempt is running is
 * waited for (WAIT_CANCELLATION_COMPLETED, the default), so that it never races the cancel's cleanup.
 */
async function unlessCancelled<T>(
  step: () => Promise<T>,
  cancelled: () => boolean,
): Promise<T | 'cancelled'> {
  const scope = new CancellationScope();
  let done = false;
  void condition(() => done || cancelled()).then(() => {
    if (!done) scope.cancel();
  });
  try {
    return await scope.run(step);
  } catch (error) {
    // Cancelled meanwhile: the cancel's cleanup follows whether the step stopped or failed.
    if (cancelled() && (isCancellation(error) || error instanceof ActivityFailure)) return 'cancelled';
    throw error;
  } finally {
    done = true;
  }
}

function lessonSteps(local: boolean, scheduleToCloseTimeout?: number) {
  const options = { startToCloseTimeout: '1 minute', retry, scheduleToCloseTimeout };
  return local ? proxyLocalActivities<LessonActivities>(options) : proxyActivities<LessonActivities>(options);
}

/**
 * Runs a step on Zoom that has a deadline; if it fails (its retries ran out at the deadline, or
 * it failed for good), `onDaily` runs instead. A cancelled step is not a failure: it propagates.
 */
async function orElseDaily<T>(zoomStep: () => Promise<T>, onDaily: () => Promise<T>): Promise<T> {
  try {
    return await zoomStep();
  } catch (error) {
    if (!(error instanceof ActivityFailure) || isCancellation(error)) throw error;
    return onDaily();
  }
}

/**
 * One online lesson, from booking to its end (the seed's "Meeting creation" and the Daily.co
 * operations). Booked → meeting created on Zoom (or Daily) → LessonBooked emails → then it waits
 * for a reschedule, a cancel, the tutor's Zoom going away, or the lesson's end.
 */
export async function lessonMeetingWorkflow(input: LessonMeetingInput): Promise<LessonState> {
  const { booking, bookingHash, settings } = input;
  const local = patched(LOCAL_STEPS_PATCH);
  const acts = lessonSteps(local);
  const state: LessonState = {
    lessonId: booking.id,
    status: 'booking',
    startsAt: booking.startsAt,
    endsAt: booking.endsAt,
    version: 1,
  };
  let pending: RescheduleRequest | undefined;
  let cancelRequested = false;
  let zoomGone = false;
  setHandler(rescheduleSignal, (request) => void (pending = state.pendingReschedule = request));
  setHandler(cancelSignal, () => void (cancelRequested = true));
  setHandler(zoomDisconnectedSignal, () => void (zoomGone = true));
  setHandler(lessonStateQuery, () => state);

  const cancel = async (notify: boolean): Promise<LessonState> => {
    await acts.cancelLessonMeeting({ booking, bookingHash });
    if (notify)
      await acts.sendLessonEmails({ lessonId: booking.id, event: 'cancelled', version: state.version + 1 });
    state.status = 'cancelled';
    return state;
  };
  if (cancelRequested) return cancel(false);

  // Transient Zoom errors are retried until the lesson's start minus the margin (at least a minute).
  const zoomDeadline = (startsAt: string): number =>
    Math.max(MINUTE, Date.parse(startsAt) - settings.zoomFallbackMarginMinutes * MINUTE - Date.now());

  // 1–3. Choose the provider (Zoom when connected), create the meeting, upsert the `meetings` row;
  // Zoom past its deadline: create a Daily room instead.
  let created = await orElseDaily(
    () => lessonSteps(local, zoomDeadline(booking.startsAt)).createLessonMeeting({ booking, bookingHash }),
    async () => {
      const fallback = await acts.createLessonMeeting({ booking, bookingHash, forceDaily: true });
      return 'cancelled' in fallback
        ? fallback
        : { ...fallback, zoomFallbackReason: 'Zoom did not answer in time' };
    },
  );
  if ('cancelled' in created) return cancel(false);
  state.provider = created.provider;
  state.meetingId = created.meetingId;
  state.status = 'booked';
  upsertSearchAttributes([{ key: MeetingProvider, value: created.provider }]);
  if (cancelRequested) return cancel(false);

  // 4–5. Join links are in the row; send the LessonBooked emails to tutor and student.
  await acts.sendLessonEmails({
    lessonId: booking.id,
    event: 'booked',
    version: state.version,
    zoomFallbackReason: created.zoomFallbackReason,
  });
  // Booked again after its workflow failed, the lesson continues its versions from its row.
  state.version = Math.max(state.version, created.version ?? 1);

  // 6. Wait for a reschedule, a cancel, Zoom going away, or the end plus grace.
  for (;;) {
    const endsAtMs = Date.parse(state.endsAt) + settings.graceMinutes * MINUTE;
    const woken = await condition(
      () => cancelRequested || pending !== undefined || zoomGone,
      Math.max(1, endsAtMs - Date.now()),
    );
    if (cancelRequested) return cancel(true);

    if (pending) {
      // 7. Reschedule. The first applies at once; those arriving meanwhile coalesce: the latest wins.
      const request = pending;
      pending = state.pendingReschedule = undefined;
      state.version += 1;
      const move = { lessonId: booking.id, ...request, version: state.version };
      // Zoom past the deadline of the new start: the lesson moves to a Daily room at the new times.
      const reschedule = patched(RESCHEDULE_DEADLINE_PATCH)
        ? () =>
            orElseDaily(
              () => lessonSteps(false, zoomDeadline(request.startsAt)).rescheduleLessonMeeting(move),
              () => acts.rescheduleLessonMeeting({ ...move, forceDaily: true }),
            )
        : () => acts.rescheduleLessonMeeting(move);
      const preemptible = patched(CANCEL_PREEMPTS_RESCHEDULE_PATCH);
      const outcome = preemptible
        ? await unlessCancelled(reschedule, () => cancelRequested)
        : await reschedule();
      if (outcome === 'cancelled') return cancel(true);
      if (preemptible && outcome.provider !== created.provider)
        upsertSearchAttributes([{ key: MeetingProvider, value: outcome.provider }]);
      created = outcome;
      Object.assign(state, {
        startsAt: request.startsAt,
        endsAt: request.endsAt,
        provider: created.provider,
        meetingId: created.meetingId,
      });
      // 8. The Rescheduled emails, unless another reschedule or a cancel came meanwhile.
      if (!pending && !cancelRequested)
        await acts.sendLessonEmails({ lessonId: booking.id, event: 'rescheduled', version: state.version });
      continue;
    }

    // 9. The tutor's Zoom went away: the lesson moves to Daily, and people get the new link.
    if (zoomGone) {
      zoomGone = false;
      if (state.provider !== 'zoom') continue;
      const moved = await acts.moveLessonToDaily({ lessonId: booking.id, version: state.version + 1 });
      if (!moved) continue;
      state.version += 1;
      Object.assign(state, { provider: moved.provider, meetingId: moved.meetingId });
      upsertSearchAttributes([{ key: MeetingProvider, value: moved.provider }]);
      await acts.sendLessonEmails({ lessonId: booking.id, event: 'moved-to-daily', version: state.version });
      continue;
    }

    // 10. The end plus grace: the Daily room goes, the lesson is finished.
    if (!woken) {
      await acts.finishLesson({ lessonId: booking.id });
      state.status = 'finished';
      return state;
    }
  }
}
