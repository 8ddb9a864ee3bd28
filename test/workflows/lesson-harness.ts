import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { LESSON_WORKFLOW_TYPE } from '../../src/lessons/ids';
import type { LessonSettings } from '../../src/lessons/settings';
import type { LessonTimes } from '../../src/lessons/schemas';
import type { LessonMeetingInput, LessonState } from '../../src/lessons/types';
import { connectTestTemporal, uniqueName, workflowBundle, type TestTemporal } from '../support/temporal';
import { fakeLessonActivities, newWorld, type LessonWorld } from './fake-lesson-world';
import { testDataConverter } from '../support/payload-key';

/**
 * The lesson workflow on the suite's dev server, with plain functions for its activities: a
 * worker per test file, and a world per lesson (see fake-lesson-world.ts).
 */
export interface LessonHarness {
  temporal: TestTemporal;
  /** The worker's task queue: a test may start a lesson with an input of its own. */
  taskQueue: string;
  start(options: {
    times: Record<string, LessonTimes>;
    settings?: Partial<LessonSettings>;
    prepare?: (world: LessonWorld) => void;
  }): Promise<{ world: LessonWorld; handle: WorkflowHandle }>;
  close(): Promise<void>;
}

export const SECOND = 1000;
export const DAY = 24 * 3600 * SECOND;
/** The margin the quick settings give Zoom before a lesson's start. */
export const MARGIN = 15 * 60 * SECOND;

/** Quick settings: a second's floor before Zoom gives way to Daily, no grace after the end. */
export const quickSettings: LessonSettings = {
  earlyJoinMinutes: 10,
  graceMinutes: 0,
  zoomFallbackMarginMinutes: 15,
  zoomRetryFloorSeconds: 2,
};

export async function startLessonHarness(): Promise<LessonHarness> {
  const temporal = await connectTestTemporal();
  const worlds = new Map<string, LessonWorld>();
  const taskQueue = uniqueName('lesson-logic');
  const worker = await Worker.create({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    workflowBundle: await workflowBundle(),
    dataConverter: testDataConverter(),
    activities: fakeLessonActivities(worlds),
  });
  const running = worker.run();
  return {
    temporal,
    taskQueue,
    async start({ times, settings, prepare }) {
      const lessonId = uniqueName('L');
      const first = times.T1;
      assert.ok(first, 'the lesson books at T1');
      const world = newWorld(first, times);
      prepare?.(world);
      worlds.set(lessonId, world);
      const person = (role: string) => ({
        id: `${role}-${lessonId}`,
        email: `${role}@example.com`,
        name: role,
      });
      const input: LessonMeetingInput = {
        booking: { id: lessonId, ...first, tutor: person('tutor'), student: person('student') },
        bookingHash: 'hash',
        settings: { ...quickSettings, ...settings },
      };
      const handle = await temporal.client.workflow.start(LESSON_WORKFLOW_TYPE, {
        taskQueue,
        workflowId: uniqueName('lesson-meeting'),
        args: [input],
      });
      return { world, handle };
    },
    async close() {
      worker.shutdown();
      await running;
      await temporal.close();
    },
  };
}

export async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 20 * SECOND) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Lesson times `hoursAhead` from now, an hour long. */
export function timesIn(msAhead: number, lengthMs = 3600 * SECOND): LessonTimes {
  const start = Math.floor((Date.now() + msAhead) / SECOND) * SECOND;
  return { startsAt: new Date(start).toISOString(), endsAt: new Date(start + lengthMs).toISOString() };
}

export const shift = (t: LessonTimes, ms: number): LessonTimes => ({
  startsAt: new Date(Date.parse(t.startsAt) + ms).toISOString(),
  endsAt: new Date(Date.parse(t.endsAt) + ms).toISOString(),
});

/** A lesson booked on Zoom at T1 (two days ahead), with T2, T3, T4 a day apart after it. */
export async function startBookedLesson(harness: LessonHarness, extra: Record<string, LessonTimes> = {}) {
  const T1 = timesIn(2 * DAY);
  const times = { T1, T2: shift(T1, DAY), T3: shift(T1, 2 * DAY), T4: shift(T1, 3 * DAY), ...extra };
  const lesson = await harness.start({ times });
  await until('booked', () => lesson.world.emails.includes('booked v1@T1'));
  return { ...lesson, times };
}

/** A promise a test resolves when the step it holds may go on. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** What the providers did and the emails sent. */
export interface Outcome {
  calls: string[];
  emails: string[];
}
/** Exactly this outcome, or (where timing decides, each correct) one of these. */
export type ExpectedOutcome = Outcome | { oneOf: Outcome[] };

const outcomesOf = (expected: ExpectedOutcome): Outcome[] =>
  'oneOf' in expected ? expected.oneOf : [expected];

/** The index of the outcome among `expected` that the world shows, or -1. */
export const shownOutcome = (world: LessonWorld, expected: ExpectedOutcome): number =>
  outcomesOf(expected).findIndex(
    (o) => isDeepStrictEqual(world.calls, o.calls) && isDeepStrictEqual(world.emails, o.emails),
  );

/**
 * Waits until the world shows `expected` (or the time is up), and a moment longer, so that a step
 * too many would show; then the workflow's state.
 */
export async function settled(
  world: LessonWorld,
  handle: WorkflowHandle,
  expected: ExpectedOutcome,
): Promise<LessonState> {
  // The caller's asserts say what differs.
  await until('the expected outcome', () => shownOutcome(world, expected) >= 0).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500));
  return handle.query<LessonState>('lessonState');
}

/** Waits for the outcome, then asserts it: exactly these provider calls and emails (or one of these pairs). */
export async function assertOutcome(
  world: LessonWorld,
  handle: WorkflowHandle,
  expected: ExpectedOutcome,
): Promise<LessonState> {
  const state = await settled(world, handle, expected);
  if ('oneOf' in expected)
    assert.ok(
      shownOutcome(world, expected) >= 0,
      `provider calls ${JSON.stringify(world.calls)} and emails ${JSON.stringify(world.emails)}: none of ${JSON.stringify(expected.oneOf)}`,
    );
  else {
    assert.deepEqual(world.calls, expected.calls, 'provider calls');
    assert.deepEqual(world.emails, expected.emails, 'emails');
  }
  return state;
}

/** One harness for the test file: started before its tests, closed after. */
export function useLessonHarness(): () => LessonHarness {
  let harness: LessonHarness | undefined;
  before(async () => (harness = await startLessonHarness()));
  after(async () => harness?.close());
  return () => {
    assert.ok(harness, 'the harness is started before the tests');
    return harness;
  };
}
