import {
  ActivityFailure,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  proxyLocalActivities,
  TemporalFailure,
} from '@temporalio/workflow';
import type { LessonActivities } from '../activities/lessons';

/** How the lesson workflow runs its steps: retried, tried once locally, preempted, or on Daily. */

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' };

/**
 * Runs a step until it ends or `preempted()` holds (a cancel, a newer reschedule), whichever is
 * first; then the step's scope is cancelled. An activity waiting for its next retry stops at once;
 * one whose attempt is running is waited for (WAIT_CANCELLATION_COMPLETED, the default), so that it
 * never races what follows.
 */
export async function unlessPreempted<T>(
  step: () => Promise<T>,
  preempted: () => boolean,
): Promise<T | 'preempted'> {
  if (preempted()) return 'preempted'; // before it began: nothing to schedule, nothing to cancel
  const scope = new CancellationScope();
  let done = false;
  void condition(() => done || preempted()).then(() => {
    if (!done) scope.cancel();
  });
  try {
    return await scope.run(step);
  } catch (error) {
    // Preempted meanwhile: what preempted it follows whether the step stopped or failed.
    if (preempted() && (isCancellation(error) || error instanceof ActivityFailure)) return 'preempted';
    throw error;
  } finally {
    done = true;
  }
}

export function lessonSteps(local: boolean, scheduleToCloseTimeout?: number) {
  const options = { startToCloseTimeout: '1 minute', retry, scheduleToCloseTimeout };
  return local ? proxyLocalActivities<LessonActivities>(options) : proxyActivities<LessonActivities>(options);
}

/**
 * A step's quick first try: local, and once, so that no deadline rides on a local activity; a
 * failure hands the step to a regular activity, whose retries and deadline the server keeps.
 */
export const onceLocally = proxyLocalActivities<LessonActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 1 },
});

/** A regular activity's failure: its retries ran out, at a deadline or for good. */
const activityFailed = (error: unknown): boolean =>
  error instanceof ActivityFailure && !isCancellation(error);

/**
 * A local try's failure: the SDK hands a local activity's last failure over bare (an
 * ApplicationFailure, a TimeoutFailure), not wrapped in an ActivityFailure.
 */
const localTryFailed = (error: unknown): boolean =>
  error instanceof TemporalFailure && !isCancellation(error);

/** Runs `step`; if it fails (as `failed` tells), runs `instead`. A cancelled step propagates. */
async function orElse<T>(
  step: () => Promise<T>,
  instead: () => Promise<T>,
  failed = activityFailed,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (!failed(error)) throw error;
    return instead();
  }
}

/**
 * A step on Zoom with a deadline: its quick local try (if any), then the step retried until the
 * deadline, then the Daily step instead. `retried` runs that retried phase (the quick try is not
 * in it), e.g. so that a cancel preempts it; it is called when the phase begins, not before.
 */
export function zoomThenDaily<T, R = never>(step: {
  quick?: () => Promise<T>;
  untilDeadline: () => Promise<T>;
  onDaily: () => Promise<T>;
  retried?: (phase: () => Promise<T>) => Promise<T | R>;
}): Promise<T | R> {
  const { quick, untilDeadline, onDaily, retried = (phase) => phase() } = step;
  const retries = () => retried(() => orElse(untilDeadline, onDaily));
  return quick ? orElse<T | R>(quick, retries, localTryFailed) : retries();
}
