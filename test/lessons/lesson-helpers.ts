import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TestStack } from '../support/stack';

export const HOUR = 3600_000;

export function booking(overrides: Record<string, unknown> = {}, startInHours = 48) {
  const id = `L${randomBytes(5).toString('hex')}`;
  const startsAt = new Date(Date.now() + startInHours * HOUR);
  return {
    id,
    title: `Algebra ${id}`,
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + HOUR).toISOString(),
    tutor: {
      id: `tutor-${id}`,
      email: `tutor-${id}@example.com`,
      name: 'Ada Tutor',
      timeZone: 'Europe/Paris',
    },
    student: { id: `student-${id}`, email: `student-${id}@example.com`, name: 'Sam Student' },
    ...overrides,
  };
}
export type Booking = ReturnType<typeof booking>;

export function api(stack: TestStack) {
  const headers = {
    authorization: `Bearer ${stack.env.BOOKING_API_TOKEN}`,
    'content-type': 'application/json',
  };
  const call = (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) =>
    fetch(`${stack.api.url}${path}`, {
      method,
      headers: { ...headers, ...extra },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
  return {
    book: (b: unknown, extra?: Record<string, string>) => call('POST', '/lessons', b, extra),
    reschedule: (id: string, times: unknown) => call('POST', `/lessons/${id}/reschedule`, times),
    cancel: (id: string) => call('POST', `/lessons/${id}/cancel`, {}),
    meeting: (id: string) => call('GET', `/lessons/${id}/meeting`),
  };
}

/**
 * For tests that assert a reschedule's or cancel's 200: a wait the default 3 s would miss on a
 * loaded machine (the behaviour under test is the same).
 */
export const PATIENT_COMMANDS = { LESSON_COMMAND_WAIT_MS: '8000', TEMPORAL_CALL_TIMEOUT_MS: '10000' };
/** The same for the typed client. */
export const PATIENT_CLIENT_TIMING = { commandWaitMs: 8000, callTimeoutMs: 10000 };

/**
 * A reschedule or cancel the API took: 200 (applied within LESSON_COMMAND_WAIT_MS) or 202 (on its
 * way). Anything else shows as its status and body.
 */
export async function taken(res: Response): Promise<string> {
  return res.status === 200 || res.status === 202 ? 'taken' : `${res.status} ${await res.text()}`;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits until the lesson's workflow is waiting for its end (a long timer its last event, no
 * activity pending): every email it would send unprompted has gone, so counts are final.
 */
export async function waitForLessonIdle(stack: TestStack, lessonId: string): Promise<void> {
  const handle = stack.temporal.client.workflow.getHandle(`lesson-meeting/${lessonId}`);
  await waitFor(`lesson ${lessonId} waiting for its end`, async () => {
    // An Update answered once the timer was set adds its own events (and their task) after it.
    const events = ((await handle.fetchHistory()).events ?? []).filter(
      (e) =>
        !e.workflowExecutionUpdateAcceptedEventAttributes &&
        !e.workflowExecutionUpdateCompletedEventAttributes &&
        !e.workflowTaskScheduledEventAttributes &&
        !e.workflowTaskStartedEventAttributes &&
        !e.workflowTaskCompletedEventAttributes,
    );
    const timer = events.at(-1)?.timerStartedEventAttributes;
    const waitsLong = Number(timer?.startToFireTimeout?.seconds ?? 0) >= 3600;
    return waitsLong && (await handle.describe()).raw.pendingActivities?.length === 0;
  });
}

export const meetingRow = (stack: TestStack, lessonId: string) =>
  stack.container.stores.meetings.findByLesson(lessonId);

export const emailsFor = (stack: TestStack, lessonId: string, event?: string) =>
  stack.sendgrid
    .outbox()
    .filter((m) => m.customArgs.lesson_id === lessonId && (!event || m.customArgs.event === event));

/** An ICS attachment's start line for an ISO time, to tell which times an email carries. */
export const icsStart = (iso: string) => `DTSTART:${iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`;

export { connectZoom } from '../support/connect-zoom';
