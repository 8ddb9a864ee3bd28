import { condition, patched, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { LessonActivities } from '../activities/lessons';
import { MeetingProvider } from '../temporal/search-attributes';
import {
  cancelSignal,
  lessonStateQuery,
  rescheduleSignal,
  zoomDisconnectedSignal,
} from '../lessons/definitions';
import type { LessonMeetingInput, LessonState, RescheduleRequest } from '../lessons/types';
import { lessonSteps, onceLocally, unlessPreempted, zoomThenDaily } from './lesson-steps';

const MINUTE = 60_000;

/** The booking's meeting, and whether its LessonBooked emails went with it. */
type BookingOutcome = Awaited<ReturnType<LessonActivities['createLessonMeeting']>> & {
  announced?: boolean;
};

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
 * then move the lesson to Daily: before, a Zoom answering 5xx held the reschedule for good. After
 * one local try, that step is a regular activity, whose deadline the server keeps: a local
 * activity's can pass unseen during a backoff, and one that times out as its retry is scheduled
 * fails to replay (SDK 1.24).
 */
const RESCHEDULE_DEADLINE_PATCH = 'reschedule-deadline';

/**
 * Lessons booked since this patch create the meeting and send the LessonBooked emails in one local
 * activity, attempted once: a booking costs one round through the worker fewer, which bounds a
 * burst of bookings. If it fails, the meeting step is retried as a regular activity, so that its
 * deadline is the server's (see RESCHEDULE_DEADLINE_PATCH).
 */
const BOOKING_IN_ONE_STEP_PATCH = 'booking-in-one-step';

/**
 * Lessons since this patch take their version from the booking step before they announce or
 * cancel: a lesson booked again after its workflow failed is announced at the row's next version
 * (new to the email ledger, and an invite newer than those people hold), not at 1.
 */
const VERSION_BEFORE_ANNOUNCE_PATCH = 'version-before-announce';

/**
 * Reschedules since this patch are preempted by a newer one, as by a cancel: a reschedule whose
 * Zoom retries run to its own deadline (days away, say) no longer holds back a newer one, which
 * may be due sooner; the latest applies at once, with its own deadline.
 */
const NEWER_RESCHEDULE_PREEMPTS_PATCH = 'newer-reschedule-preempts';

/**
 * Bookings since this patch let a cancel preempt Zoom's retries (and the Daily step after them),
 * as a reschedule's: the cancel no longer waits up to 5 minutes of backoff, or a whole Retry-After,
 * while the meeting may still be made, only to be deleted. Asked as those retries begin (after the
 * quick try), so a lesson whose retries began before it replays as it ran, and a booking done in
 * its quick try records nothing.
 */
const CANCEL_PREEMPTS_BOOKING_PATCH = 'cancel-preempts-booking';

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

  // 1–5. Choose the provider (Zoom when connected), create the meeting, upsert the `meetings` row
  // and send the LessonBooked emails, in one quick step; if it fails, the meeting alone, retried
  // until Zoom's deadline; past it, a Daily room instead.
  const oneStep = local && patched(BOOKING_IN_ONE_STEP_PATCH);
  let created = await zoomThenDaily<BookingOutcome, 'preempted'>({
    quick: oneStep
      ? () => onceLocally.bookLessonMeeting({ booking, bookingHash, version: state.version })
      : undefined,
    untilDeadline: () =>
      lessonSteps(local && !oneStep, zoomDeadline(booking.startsAt)).createLessonMeeting({
        booking,
        bookingHash,
      }),
    onDaily: async () => {
      const fallback = await acts.createLessonMeeting({ booking, bookingHash, forceDaily: true });
      return 'cancelled' in fallback
        ? fallback
        : { ...fallback, zoomFallbackReason: 'Zoom did not answer in time' };
    },
    retried: (retries) =>
      patched(CANCEL_PREEMPTS_BOOKING_PATCH) ? unlessPreempted(retries, () => cancelRequested) : retries(),
  });
  // Cancelled during the retries: only the quick try can have told anyone (one email of two, say),
  // and the notification service cancels to exactly those the email ledger holds, maybe nobody.
  if (created === 'preempted') return cancel(true);
  if ('cancelled' in created) return cancel(false);
  // Booked again after its workflow failed, the lesson continues its versions from its row.
  const bookedVersion = Math.max(state.version, created.version ?? 1);
  if (patched(VERSION_BEFORE_ANNOUNCE_PATCH)) state.version = bookedVersion;
  const announced = created.announced === true;
  // Its times are the row's, which a lesson booked again after its workflow failed may have moved
  // to since. Outcomes recorded before the step returned them carry none: old histories keep the
  // booking's times, so the end timer they recorded is unchanged.
  state.startsAt = created.startsAt ?? state.startsAt;
  state.endsAt = created.endsAt ?? state.endsAt;
  state.provider = created.provider;
  state.meetingId = created.meetingId;
  state.status = 'booked';
  upsertSearchAttributes([{ key: MeetingProvider, value: created.provider }]);
  // Cancelled meanwhile: after a one-step booking, some emails may have gone even when it reports
  // otherwise (one of two failed); the cancel goes to each person the ledger says was told.
  if (cancelRequested) return cancel(oneStep);

  // 4–5. Join links are in the row; send the LessonBooked emails to tutor and student.
  if (!announced)
    await acts.sendLessonEmails({
      lessonId: booking.id,
      event: 'booked',
      version: state.version,
      zoomFallbackReason: created.zoomFallbackReason,
    });
  state.version = bookedVersion;

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
            zoomThenDaily({
              quick: () => onceLocally.rescheduleLessonMeeting(move),
              untilDeadline: () =>
                lessonSteps(false, zoomDeadline(request.startsAt)).rescheduleLessonMeeting(move),
              onDaily: () => acts.rescheduleLessonMeeting({ ...move, forceDaily: true }),
            })
        : () => acts.rescheduleLessonMeeting(move);
      const preemptible = patched(CANCEL_PREEMPTS_RESCHEDULE_PATCH);
      const supersedable = preemptible && patched(NEWER_RESCHEDULE_PREEMPTS_PATCH);
      const outcome = preemptible
        ? await unlessPreempted(reschedule, () => cancelRequested || (supersedable && pending !== undefined))
        : await reschedule();
      if (outcome === 'preempted') {
        if (cancelRequested) return cancel(true);
        continue; // a newer reschedule: it applies next, at its own times and deadline
      }
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
