import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  WorkflowUpdateStage,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { SignalDefinition, UpdateDefinition } from '@temporalio/common';
import { LESSON_COMMAND_REFUSALS } from '../../lessons/command-refusals';
import { TemporalDeadlineError, withinDeadline } from '../../temporal/deadline';
import type { TemporalCallTiming } from '../../temporal/env';
import { BookingRejectedError } from './booking-admission';

/**
 * How far a reschedule or cancel got within LESSON_COMMAND_WAIT_MS:
 * - `completed`: the Update returned its result (HTTP 200);
 * - `accepted`: the Update is in the workflow's history and will be applied (202);
 * - `signalled`: the Update was not even accepted (no worker polling), so the signal carries the
 *   command instead (202): a command is never lost while workers are away;
 * - `not-running`: the lesson has no running workflow.
 * Every one carries the requestId the command went under, so a caller can send it again safely.
 */
export type CommandOutcome<R> = { requestId: string } & (
  | { state: 'completed'; result: R }
  | { state: 'accepted' }
  | { state: 'signalled' }
  | { state: 'not-running' }
);

/**
 * The workflow refused the command (an Update's validator, by the failure's type): a requestId used
 * with another body, or a lesson cancelled or over, is a conflict. Invalid input never gets there
 * (admitted first), so anything else is a bug: rethrown, a 500.
 */
function refused(lessonId: string, error: WorkflowUpdateFailedError): Error {
  const failure = error.cause;
  const type = failure instanceof ApplicationFailure ? failure.type : undefined;
  const why = failure?.message ?? error.message;
  if (type === LESSON_COMMAND_REFUSALS.requestIdReused)
    return new BookingRejectedError('request_id_conflict', `Lesson ${lessonId}: ${why}`);
  if (type === LESSON_COMMAND_REFUSALS.lessonClosed)
    return new BookingRejectedError('lesson_not_active', `Lesson ${lessonId} refused the command: ${why}`);
  return error;
}

const isTimeout = (error: unknown): boolean =>
  error instanceof TemporalDeadlineError || error instanceof WorkflowUpdateRPCTimeoutOrCancelledError;

export interface LessonCommandDelivery<R, A extends { requestId?: string }> {
  client: Client;
  timing: TemporalCallTiming;
  workflow: WorkflowHandle;
  lessonId: string;
  /** The lesson's Update and signal of one name (the cancel's argument is optional). */
  update: UpdateDefinition<R, [A]> | UpdateDefinition<R, [A?]>;
  signal: SignalDefinition<[A]> | SignalDefinition<[A?]>;
  /**
   * Not the Update's id: the server would answer a repeat with another body the first outcome,
   * where the workflow, which remembers requestIds, refuses it.
   */
  request: A & { requestId: string };
}

/** The least time left for the fallback signal, however long the Update waited. */
const MIN_SIGNAL_MS = 1000;

/**
 * Sends a command as an Update, waiting LESSON_COMMAND_WAIT_MS at most; if it is not accepted by
 * then, sends the same request (same requestId) as the signal, so a worker that later takes the
 * Update as well applies the command once. All of it ends within TEMPORAL_CALL_TIMEOUT_MS (and at
 * least a second after the wait): Temporal away is then a TemporalDeadlineError, a 503.
 */
export async function deliverLessonCommand<R, A extends { requestId?: string }>(
  delivery: LessonCommandDelivery<R, A>,
): Promise<CommandOutcome<R>> {
  const { client, timing, workflow, request } = delivery;
  const args: [A] = [request];
  const { requestId } = request;
  const startedAt = Date.now();
  let accepted = false;
  try {
    return await withinDeadline(client, timing.commandWaitMs, async () => {
      const update = await workflow.startUpdate<R, [A]>(delivery.update.name, {
        args,
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      accepted = true;
      return { requestId, state: 'completed' as const, result: await update.result() };
    });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { requestId, state: 'not-running' };
    if (error instanceof WorkflowUpdateFailedError) throw refused(delivery.lessonId, error);
    if (!isTimeout(error)) throw error;
    if (accepted) return { requestId, state: 'accepted' };
  }
  const left = Math.max(timing.callTimeoutMs - (Date.now() - startedAt), MIN_SIGNAL_MS);
  try {
    await withinDeadline(client, left, () => workflow.signal<[A]>(delivery.signal.name, ...args));
    return { requestId, state: 'signalled' };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { requestId, state: 'not-running' };
    throw error;
  }
}
