import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { LessonId, TutorId } from '../../temporal/search-attributes';
import { cancelSignal, rescheduleSignal, zoomDisconnectedSignal } from '../../lessons/definitions';
import { LESSON_WORKFLOW_TYPE, lessonWorkflowId } from '../../lessons/ids';
import type { LessonMeetingInput, RescheduleRequest } from '../../lessons/types';
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
}

export type SignalOutcome = 'signalled' | 'not-running';

export function createLessonWorkflows(deps: LessonWorkflowsDeps) {
  const handle = (lessonId: string) => deps.client.workflow.getHandle(lessonWorkflowId(lessonId));
  const signalOrReport = async (work: () => Promise<void>): Promise<SignalOutcome> => {
    try {
      await work();
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
    const { status, memo } = await workflow.describe();
    if (status.name !== 'RUNNING')
      return { status: (await workflow.result()).status, bookingHash: undefined };
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
        await deps.client.workflow.start(LESSON_WORKFLOW_TYPE, {
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
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        checkRepeatedBooking(booking.id, await knownBooking(workflowId, bookingHash), bookingHash);
      }
      return { lessonId: booking.id, workflowId };
    },

    reschedule: (lessonId: string, times: RescheduleRequest): Promise<SignalOutcome> =>
      signalOrReport(() =>
        handle(lessonId).signal(rescheduleSignal, {
          startsAt: new Date(times.startsAt).toISOString(),
          endsAt: new Date(times.endsAt).toISOString(),
        }),
      ),

    cancel: (lessonId: string): Promise<SignalOutcome> =>
      signalOrReport(() => handle(lessonId).signal(cancelSignal)),

    /**
     * Whether the lesson ever had a workflow: a booking recorded while Temporal was out of reach
     * (answered 503) has none until it is sent again.
     */
    async hasWorkflow(lessonId: string): Promise<boolean> {
      try {
        await handle(lessonId).describe();
        return true;
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) return false;
        throw error;
      }
    },

    /** Whether one run of a lesson's workflow is still open (a terminated or failed one is not). */
    async isRunOpen(workflowId: string, runId: string): Promise<boolean> {
      const { status } = await deps.client.workflow.getHandle(workflowId, runId).describe();
      return status.name === 'RUNNING';
    },

    /** The tutor's Zoom can't host this lesson any more: its workflow moves it to Daily. */
    moveToDaily: (lessonId: string): Promise<SignalOutcome> =>
      signalOrReport(() => handle(lessonId).signal(zoomDisconnectedSignal)),
  };
}
export type LessonWorkflows = ReturnType<typeof createLessonWorkflows>;
