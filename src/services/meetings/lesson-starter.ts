import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { LessonId, TutorId } from '../../temporal/search-attributes';
import {
  cancelSignal,
  LESSON_WORKFLOW_TYPE,
  lessonWorkflowId,
  rescheduleSignal,
  type LessonMeetingInput,
  type LessonSettings,
  type RescheduleRequest,
} from '../../workflows/definitions/lesson';
import type { Booking } from './booking';
import { checkRepeatedBooking, type KnownBooking } from './booking-admission';

/**
 * How bookings reach Temporal: used by the HTTP API and by the typed client alike, so both ways
 * in behave the same. A start that finds the lesson's workflow compares the booking it was
 * started with: the same body is the same booking, another is refused. A lesson whose workflow
 * completed (cancelled or finished) is not booked again; one whose workflow failed starts afresh.
 */
export interface LessonStarterDeps {
  client: Client;
  taskQueue: string;
  settings: LessonSettings;
}

export type SignalOutcome = 'signalled' | 'not-running';

export function createLessonStarter(deps: LessonStarterDeps) {
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

  /** The lesson's workflow as a booking: running with the hash it was started with, or ended. */
  const knownBooking = async (workflowId: string): Promise<KnownBooking> => {
    const workflow = deps.client.workflow.getHandle(workflowId);
    const { status } = await workflow.describe();
    if (status.name !== 'RUNNING')
      return { status: (await workflow.result()).status, bookingHash: undefined };
    const history = await workflow.fetchHistory();
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    const [input] = await decodeArrayFromPayloads(
      deps.client.options.loadedDataConverter,
      started?.input?.payloads,
    );
    return { status: 'booked', bookingHash: (input as LessonMeetingInput | undefined)?.bookingHash };
  };

  return {
    /** The booking must be admitted (admitBooking) first: validated, normalised and hashed. */
    async book(booking: Booking, bookingHash: string): Promise<{ lessonId: string; workflowId: string }> {
      const workflowId = lessonWorkflowId(booking.id);
      const input: LessonMeetingInput = { booking, bookingHash, settings: deps.settings };
      try {
        await deps.client.workflow.start(LESSON_WORKFLOW_TYPE, {
          taskQueue: deps.taskQueue,
          workflowId,
          args: [input],
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
          typedSearchAttributes: [
            { key: LessonId, value: booking.id },
            { key: TutorId, value: booking.tutor.id },
          ],
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        checkRepeatedBooking(booking.id, await knownBooking(workflowId), bookingHash);
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
  };
}
export type LessonStarter = ReturnType<typeof createLessonStarter>;
