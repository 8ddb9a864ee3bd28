import { proxyActivities } from '@temporalio/workflow';
import type { PlatformEventActivities } from '../activities/platform-events';
import type { DuePassInput, DuePassResult } from './definitions/due-passes';
import { runDuePass } from './due-passes';

const { listDueEvents, reportFailedLessons } = proxyActivities<PlatformEventActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 3 },
});

// One POST with its own timeout (PLATFORM_WEBHOOK_TIMEOUT_MS). Its failures are booked in the
// event's row with backoff; these retries only cover the worker or PostgreSQL failing under it.
const { deliverEvent } = proxyActivities<PlatformEventActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 3 },
});

/**
 * One pass over the platform events that are due: each gets one signed attempt. Started by its
 * schedule every PLATFORM_EVENTS_POLL_SECONDS and woken by each new event.
 */
export async function platformEventsWorkflow(input: DuePassInput = {}): Promise<DuePassResult> {
  return runDuePass(
    (limit) => listDueEvents({ limit }),
    (eventId) => deliverEvent({ eventId }),
    input,
  );
}

/** One look for failed lesson workflows (lesson.failed), every FAILED_LESSONS_POLL_SECONDS. */
export async function failedLessonsWorkflow(): Promise<{ reported: number }> {
  return { reported: await reportFailedLessons() };
}
