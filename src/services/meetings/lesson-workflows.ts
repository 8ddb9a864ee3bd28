import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { LessonId, TutorId } from '../../temporal/search-attributes';
import {
  cancelSignal,
  cancelUpdate,
  rescheduleSignal,
  rescheduleUpdate,
  zoomDisconnectedSignal,
} from '../../lessons/definitions';
import { LESSON_WORKFLOW_TYPE, lessonWorkflowId } from '../../lessons/ids';
import type {
  CancelResult,
  LessonMeetingInput,
  LessonState,
  RescheduleRequest,
  RescheduleResult,
} from '../../lessons/types';
import { withinDeadline } from '../../temporal/deadline';
import type { TemporalCallTiming } from '../../temporal/env';
import { deliverLessonCommand, signalThenAwaitUpdate, type CommandOutcome } from './lesson-command-delivery';
import type { LessonSettings } from '../../lessons/settings';
import type { LessonBooking } from '../../lessons/schemas';
import { checkRepeatedBooking, type KnownBooking } from './booking-admission';

/** Which booking a lesson's workflow was started with, readable without its history. */
const BOOKING_HASH_MEMO = 'bookingHash';

/**
 * The lesson commands' way to Temporal (see lesson-commands.ts): starts and signals a lesson's
 * workflow. A start that finds the lesson's workflow compares the booking it was started with:
 * the same body is the same booking, another is refused. A lesson whose workflow completed
 * (cancelled or finished) is not booked again; one whose workflow failed starts afresh.
 */
export interface LessonWorkflowsDeps {
  client: Client;
  taskQueue: string;
  settings: LessonSettings;
  /** Every call has a deadline (TEMPORAL_CALL_TIMEOUT_MS); an Update waits LESSON_COMMAND_WAIT_MS. */
  timing: TemporalCallTiming;
}

export type SignalOutcome = 'signalled' | 'not-running';

export function createLessonWorkflows(deps: LessonWorkflowsDeps) {
  const handle = (lessonId: string) => deps.client.workflow.getHandle(lessonWorkflowId(lessonId));
  const bounded = <T>(calls: () => Promise<T>): Promise<T> =>
    withinDeadline(deps.client, deps.timing.callTimeoutMs, calls);
  const delivery = { client: deps.client, timing: deps.timing };
  const signalOrReport = async (work: () => Promise<void>): Promise<SignalOutcome> => {
    try {
      await bounded(work);
      return 'signalled';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return 'not-running';
      throw error;
    }
  };

  /**
   * The lesson's workflow as a booking: running with the hash it was started with (its memo), or
   * ended. Workflows started before the memo carry none: their repeats are taken as the same booking.
   */
  const knownBooking = async (workflowId: string, hash: string): Promise<KnownBooking> => {
    const workflow = deps.client.workflow.getHandle(workflowId);
    const { status, memo } = await bounded(() => workflow.describe());
    if (status.name !== 'RUNNING')
      return { status: (await bounded(() => workflow.result())).status, bookingHash: undefined };
    return { status: 'booked', bookingHash: (memo?.[BOOKING_HASH_MEMO] as string | undefined) ?? hash };
  };

  return {
    /** The booking must be admitted (admitBooking) first: validated, normalised and hashed. */
    async book(
      booking: LessonBooking,
      bookingHash: string,
    ): Promise<{ lessonId: string; workflowId: string }> {
      const workflowId = lessonWorkflowId(booking.id);
      const input: LessonMeetingInput = { booking, bookingHash, settings: deps.settings };
      try {
        await bounded(() =>
          deps.client.workflow.start(LESSON_WORKFLOW_TYPE, {
            taskQueue: deps.taskQueue,
            workflowId,
            args: [input],
            memo: { [BOOKING_HASH_MEMO]: bookingHash },
            workflowIdConflictPolicy: 'FAIL',
            workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
            typedSearchAttributes: [
              { key: LessonId, value: booking.id },
              { key: TutorId, value: booking.tutor.id },
            ],
          }),
        );
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        checkRepeatedBooking(booking.id, await knownBooking(workflowId, bookingHash), bookingHash);
      }
      return { lessonId: booking.id, workflowId };
    },

    /** As the Update, else as the signal (lesson-command-delivery.ts); times are sent in UTC. */
    reschedule: (
      lessonId: string,
      request: RescheduleRequest & { requestId: string },
    ): Promise<CommandOutcome<RescheduleResult>> =>
      deliverLessonCommand({
        ...delivery,
        workflow: handle(lessonId),
        lessonId,
        update: rescheduleUpdate,
        signal: rescheduleSignal,
        request: {
          startsAt: new Date(request.startsAt).toISOString(),
          endsAt: new Date(request.endsAt).toISOString(),
          requestId: request.requestId,
        },
      }),

    /** Signalled first: `signalled` runs once the cancel is in the history, before its answer. */
    cancel: (
      lessonId: string,
      requestId: string,
      signalled: () => Promise<void>,
    ): Promise<CommandOutcome<CancelResult>> =>
      signalThenAwaitUpdate(
        {
          ...delivery,
          workflow: handle(lessonId),
          lessonId,
          update: cancelUpdate,
          signal: cancelSignal,
          request: { requestId },
        },
        {
          signalled,
          // Its workflow ends on a cancel, so the Update may find it ended: its result says how.
          ended: async () => {
            const state = (await handle(lessonId).result()) as LessonState;
            return state.status === 'cancelled' ? { status: 'cancelled', version: state.version } : undefined;
          },
        },
      ),

    /**
     * Whether the lesson ever had a workflow: a booking recorded while Temporal was out of reach
     * (answered 503) has none until it is sent again.
     */
    async hasWorkflow(lessonId: string): Promise<boolean> {
      try {
        await bounded(() => handle(lessonId).describe());
        return true;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },

    /** Whether one run of a lesson's workflow is still open (a terminated or failed one is not). */
    async isRunOpen(workflowId: string, runId: string): Promise<boolean> {
      const { status } = await bounded(() => deps.client.workflow.getHandle(workflowId, runId).describe());
      return status.name === 'RUNNING';
    },

    /** The tutor's Zoom can't host this lesson any more: its workflow moves it to Daily. */
    moveToDaily: (lessonId: string): Promise<SignalOutcome> =>
      signalOrReport(() => handle(lessonId).signal(zoomDisconnectedSignal)),
  };
}
export type LessonWorkflows = ReturnType<typeof createLessonWorkflows>;
