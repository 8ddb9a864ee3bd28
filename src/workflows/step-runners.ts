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

/** How the lesson workflow runs a step: retried locally, tried once, retried until a deadline, preempted. */

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' };

/** Steps without a deadline: local activities (no extra workflow task each), retried until they succeed. */
export const localSteps = proxyLocalActivities<LessonActivities>({ startToCloseTimeout: '1 minute', retry });

/**
 * A step's quick first try: local, and once, so that no deadline rides on a local activity (one
 * whose deadline passes during a retry backoff leaves a history that does not replay: SDK 1.24).
 */
export const onceLocally = proxyLocalActivities<LessonActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 1 },
});

/** Steps retried until a deadline: regular activities, whose deadline the server keeps. */
export const stepsUntil = (scheduleToCloseTimeout: number) =>
  proxyActivities<LessonActivities>({ startToCloseTimeout: '1 minute', retry, scheduleToCloseTimeout });

/**
 * The Daily fallback, retried without a deadline: a regular activity, so that a command preempts
 * it at once during a backoff (a local activity's backoff runs in the worker, and its cancel waits
 * for the next attempt). It is the rare path: Zoom failed until its deadline, or went away.
 */
export const retriedSteps = proxyActivities<LessonActivities>({ startToCloseTimeout: '1 minute', retry });

/**
 * Runs a step until it ends or `preempted()` holds (a command came), whichever is first; then the
 * step's scope is cancelled. An activity waiting for its next retry stops at once; one whose
 * attempt is running is waited for (WAIT_CANCELLATION_COMPLETED, the default), so that it never
 * races what follows, and what it returned counts.
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
    if (preempted() && error instanceof TemporalFailure) return 'preempted';
    throw error;
  } finally {
    done = true;
  }
}

/**
 * A local try's failure: the SDK hands a local activity's last failure over bare (an
 * ApplicationFailure, a TimeoutFailure), not wrapped in an ActivityFailure.
 */
export const localTryFailed = (error: unknown): boolean =>
  error instanceof TemporalFailure && !isCancellation(error);

/** A regular activity's failure: its retries ran out, at its deadline or for good. */
const activityFailed = (error: unknown): boolean =>
  error instanceof ActivityFailure && !isCancellation(error);

export interface ZoomStep<T> {
  /** Tried once, locally, first; a failure hands over to `onZoom`. */
  quick?: () => Promise<T>;
  /** Retried until Zoom's deadline. */
  onZoom: () => Promise<T>;
  /** On Daily instead: Zoom's deadline passed, or Zoom went away. */
  onDaily: (zoomFallbackReason: string) => Promise<T>;
}

/**
 * A step on Zoom, with Daily as its fallback. A command (`yieldsTo`) preempts it whenever it is
 * retrying; Zoom going away (`zoomGone`) ends the Zoom retries at once, for Daily.
 */
export async function zoomThenDaily<T>(
  step: ZoomStep<T>,
  yieldsTo: () => boolean,
  zoomGone: () => boolean,
): Promise<T | 'preempted'> {
  if (step.quick) {
    try {
      return await step.quick();
    } catch (error) {
      if (!localTryFailed(error)) throw error;
    }
  }
  const onZoom = await unlessPreempted(
    () =>
      step.onZoom().catch((error: unknown) => (activityFailed(error) ? undefined : Promise.reject(error))),
    () => yieldsTo() || zoomGone(),
  );
  if (onZoom !== 'preempted' && onZoom !== undefined) return onZoom;
  if (yieldsTo()) return 'preempted';
  const reason = zoomGone() ? 'Zoom was disconnected' : 'Zoom did not answer in time';
  return unlessPreempted(() => step.onDaily(reason), yieldsTo);
}
