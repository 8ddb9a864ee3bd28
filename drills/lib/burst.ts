import { booking, type Booking } from '../../test/lessons/lesson-helpers';
import { seedZoomConnections } from '../../test/support/seed-tokens';
import type { TestStack } from '../../test/support/stack';
import { lessonWorkflowId } from '../../src/lessons/ids';
import { eachLimited } from '../../src/util/each-limited';
import { countWhere, sleep } from './converge';

/** Lessons per Zoom-connected tutor in a burst; the other half of the lessons use Daily tutors. */
const LESSONS_PER_ZOOM_TUTOR = 5;

/**
 * A burst's bookings: half for Zoom-connected tutors (seeded through the service's own store),
 * half for tutors without Zoom (Daily rooms). Start times spread over the days after tomorrow.
 */
export async function planBurst(stack: TestStack, count: number): Promise<Booking[]> {
  const zoomLessons = Math.floor(count / 2);
  const tutors = await seedZoomConnections(
    stack,
    Math.ceil(zoomLessons / LESSONS_PER_ZOOM_TUTOR),
    `burst-${Date.now().toString(36)}`,
  );
  return Array.from({ length: count }, (_, i) => {
    const b = booking({}, 48 + i);
    const tutorId = i < zoomLessons ? tutors[i % tutors.length] : undefined;
    return tutorId ? { ...b, tutor: { ...b.tutor, id: tutorId, email: `${tutorId}@example.com` } } : b;
  });
}

export interface Booked {
  /** Lessons the API accepted (202). */
  accepted: number;
  /** POSTs that had to be repeated (5xx, refused connections, timeouts). */
  retries: number;
  /** Why they were repeated: HTTP status, or the client error's name (TimeoutError…). */
  retryReasons: Record<string, number>;
  /** Answers that no retry fixes (400, 409…), with the lesson id. */
  rejected: string[];
}

/**
 * Which API the `attempt`th POST of the `index`th booking goes to: round-robin over the APIs, and a
 * repeat goes to the next one, as a load balancer's retry would when an API is down.
 */
export const apiFor = (apiUrls: readonly string[], index: number, attempt: number): string => {
  if (apiUrls.length === 0) throw new Error('no API to book through');
  return apiUrls[(index + attempt) % apiUrls.length] as string;
};

/**
 * POSTs every booking at once, as the booking system would, repeating a booking until it is
 * accepted: an identical body must give the same 202, whatever happened to the first attempt.
 */
export async function bookAll(
  stack: TestStack,
  bookings: Booking[],
  deadlineMs: number,
  apiUrls: readonly string[] = [stack.api.url],
): Promise<Booked> {
  const result: Booked = { accepted: 0, retries: 0, retryReasons: {}, rejected: [] };
  const deadline = Date.now() + deadlineMs;
  const post = (b: Booking, apiUrl: string): Promise<Response> =>
    fetch(`${apiUrl}/lessons`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${stack.env.BOOKING_API_TOKEN}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(b),
      signal: AbortSignal.timeout(15_000),
    });
  await Promise.all(
    bookings.map(async (b, index) => {
      for (let attempt = 0; Date.now() < deadline; attempt++) {
        const status = await post(b, apiFor(apiUrls, index, attempt)).then(
          (res) => res.status,
          (error: Error) => error.name,
        );
        if (status === 202) return void result.accepted++;
        if (typeof status === 'number' && status < 500)
          return void result.rejected.push(`${b.id}: HTTP ${status}`);
        result.retries++;
        result.retryReasons[status] = (result.retryReasons[status] ?? 0) + 1;
        await sleep(Math.min(250 * 2 ** attempt, 3000));
      }
      result.rejected.push(`${b.id}: not accepted before the deadline`);
    }),
  );
  return result;
}

/** Lessons with their `meetings` row and both LessonBooked emails confirmed in the ledger. */
export async function readyLessons(stack: TestStack, lessonIds: string[]): Promise<number> {
  const { rows } = await stack.database.db.raw<{ rows: Array<{ ready: string }> }>(
    `SELECT count(*) AS ready FROM unnest(?::text[]) AS l(id)
      WHERE EXISTS (SELECT 1 FROM meetings m WHERE m.lesson_id = l.id)
        AND (SELECT count(*) FROM sent_emails s WHERE s.idempotency_key LIKE l.id || ':booked:%' AND s.status = 'sent') >= 2`,
    [lessonIds],
  );
  return Number(rows[0]?.ready ?? 0);
}

/** Lesson workflows that are running with no activity pending: nothing more will happen to them. */
export async function quietLessons(stack: TestStack, lessonIds: string[]): Promise<number> {
  return countWhere(lessonIds, 20, async (id) => {
    const described = await stack.temporal.client.workflow.getHandle(lessonWorkflowId(id)).describe();
    return described.status.name === 'RUNNING' && (described.raw.pendingActivities?.length ?? 0) === 0;
  });
}

/** What the lessons still wait for, most common first: activity type, attempt and last failure. */
export async function pendingSummary(stack: TestStack, lessonIds: string[], top = 3): Promise<string> {
  const counts = new Map<string, number>();
  await eachLimited(lessonIds, 20, async (id) => {
    const described = await stack.temporal.client.workflow
      .getHandle(lessonWorkflowId(id))
      .describe()
      .catch(() => undefined);
    for (const p of described?.raw.pendingActivities ?? []) {
      const key = `${p.activityType?.name} (${p.lastFailure?.message?.slice(0, 80) ?? 'no failure yet'})`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  });
  const sorted = [...counts].sort((a, b) => b[1] - a[1]).slice(0, top);
  return sorted.length ? `pending: ${sorted.map(([k, n]) => `${n}× ${k}`).join(', ')}` : 'nothing pending';
}

/** The API's error log lines (this process), grouped: why a POST answered 5xx. */
export function apiErrors(stack: TestStack, top = 3): string | undefined {
  const counts = new Map<string, number>();
  for (const line of stack.logs) {
    const entry = JSON.parse(line) as { level: number; msg?: string; err?: { message?: string } };
    if (entry.level < 50) continue;
    const key = `${entry.msg ?? ''}: ${entry.err?.message?.slice(0, 100) ?? ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const sorted = [...counts].sort((a, b) => b[1] - a[1]).slice(0, top);
  return sorted.length ? `API errors: ${sorted.map(([k, n]) => `${n}× ${k}`).join('; ')}` : undefined;
}
