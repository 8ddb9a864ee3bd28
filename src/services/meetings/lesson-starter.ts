import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { LessonId, TutorId } from '../../temporal/search-attributes';
import {
  cancelSignal,
  LESSON_WORKFLOW_TYPE,
  lessonWorkflowId,
  rescheduleSignal,
  type LessonSettings,
  type RescheduleRequest,
} from '../../workflows/definitions/lesson';
import { bookingHash, normaliseBooking, type Booking } from './booking';

/**
 * How bookings reach Temporal: used by the HTTP API and by the typed client alike, so both ways
 * in behave the same. A repeated start returns the running workflow (USE_EXISTING); a lesson
 * booked again after it ended may start afresh.
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

  return {
    async book(booking: Booking): Promise<{ lessonId: string; workflowId: string }> {
      const normalised = normaliseBooking(booking);
      const workflowId = lessonWorkflowId(booking.id);
      try {
        await deps.client.workflow.start(LESSON_WORKFLOW_TYPE, {
          taskQueue: deps.taskQueue,
          workflowId,
          args: [{ booking: normalised, bookingHash: bookingHash(normalised), settings: deps.settings }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE',
          typedSearchAttributes: [
            { key: LessonId, value: booking.id },
            { key: TutorId, value: booking.tutor.id },
          ],
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
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
