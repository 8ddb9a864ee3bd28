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

type Delivered<R> = CommandOutcome<R> | { requestId: string; state: 'not-accepted' };

/** The Update, within `waitMs`: its result, `accepted` (still running), or `not-accepted` in time. */
async function tryUpdate<R, A extends { requestId?: string }>(
  delivery: LessonCommandDelivery<R, A>,
  waitMs: number,
): Promise<Delivered<R>> {
  const { requestId } = delivery.request;
  let accepted = false;
  try {
    return await withinDeadline(delivery.client, waitMs, async () => {
      const update = await delivery.workflow.startUpdate<R, [A]>(delivery.update.name, {
        args: [delivery.request],
        waitForStage: WorkflowUpdateStage.ACCEPTED,
      });
      accepted = true;
      return { requestId, state: 'completed' as const, result: await update.result() };
    });
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { requestId, state: 'not-running' };
    if (error instanceof WorkflowUpdateFailedError) throw refused(delivery.lessonId, error);
    if (!isTimeout(error)) throw error;
    return { requestId, state: accepted ? 'accepted' : 'not-accepted' };
  }
}

/** The signal, within `timeoutMs`: in the history when it returns. */
async function sendSignal<R, A extends { requestId?: string }>(
  delivery: LessonCommandDelivery<R, A>,
  timeoutMs: number,
): Promise<CommandOutcome<R>> {
  const { requestId } = delivery.request;
  try {
    await withinDeadline(delivery.client, timeoutMs, () =>
      delivery.workflow.signal<[A]>(delivery.signal.name, delivery.request),
    );
    return { requestId, state: 'signalled' };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { requestId, state: 'not-running' };
    throw error;
  }
}

/**
 * Sends a command as an Update, waiting LESSON_COMMAND_WAIT_MS at most; if it is not accepted by
 * then, sends the same request (same requestId) as the signal, so a worker that later takes the
 * Update as well applies the command once. All of it ends within TEMPORAL_CALL_TIMEOUT_MS (and at
 * least a second after the wait): Temporal away is then a TemporalDeadlineError, a 503.
 */
export async function deliverLessonCommand<R, A extends { requestId?: string }>(
  delivery: LessonCommandDelivery<R, A>,
): Promise<CommandOutcome<R>> {
  const startedAt = Date.now();
  const outcome = await tryUpdate(delivery, delivery.timing.commandWaitMs);
  if (outcome.state !== 'not-accepted') return outcome;
  const left = delivery.timing.callTimeoutMs - (Date.now() - startedAt);
  return sendSignal(delivery, Math.max(left, MIN_SIGNAL_MS));
}

/**
 * The signal first, then `signalled` (a step that must see the command at once: the cancel marks
 * the row, which a step under way reads, while the workflow takes no command until that step
 * ends), then the Update under the same requestId, which the workflow answers as the signal's
 * repeat: 200 when done within LESSON_COMMAND_WAIT_MS, else `signalled` (202).
 */
export async function signalThenAwaitUpdate<R, A extends { requestId?: string }>(
  delivery: LessonCommandDelivery<R, A>,
  hooks: {
    signalled: () => Promise<void>;
    /** The command ended the workflow before its Update came: the result, read from the run's. */
    ended: () => Promise<R | undefined>;
  },
): Promise<CommandOutcome<R>> {
  const sent = await sendSignal(delivery, delivery.timing.callTimeoutMs);
  if (sent.state === 'not-running') return sent;
  await hooks.signalled();
  const startedAt = Date.now();
  const answered = await tryUpdate(delivery, delivery.timing.commandWaitMs);
  if (answered.state === 'completed' || answered.state === 'accepted') return answered;
  if (answered.state !== 'not-running') return sent;
  const left = delivery.timing.commandWaitMs - (Date.now() - startedAt);
  const result = await withinDeadline(delivery.client, Math.max(left, MIN_SIGNAL_MS), hooks.ended).catch(
    (error: unknown) => {
      if (isTimeout(error)) return undefined;
      throw error;
    },
  );
  return result === undefined ? sent : { requestId: sent.requestId, state: 'completed', result };
}
