import { api, booking, waitForLessonIdle } from '../test/lessons/lesson-helpers';
import { startTestStack, type TestStack } from '../test/support/stack';
import { lessonWorkflowId } from '../src/lessons/ids';
import type { Figure } from './lib/report';
import { countCloudActions, describeCloudActions, type CloudActions } from './lib/cloud-actions';

/** The grace after a lesson's end, at its smallest: the untouched lesson has to finish. */
const GRACE_MINUTES = 1;

/**
 * Issue 19's figure: the Temporal Cloud actions of a lesson booked over HTTP and left to finish, and
 * what each reschedule adds (the mean over `reschedules`, on a lesson two days ahead). Counted from
 * the histories by bench/lib/cloud-actions.ts. A stack of its own, for its one-minute grace.
 */
export async function cloudActionFigures(reschedules: number): Promise<Figure[]> {
  const stack = await startTestStack({
    env: { LOG_LEVEL: 'warn', LESSON_GRACE_MINUTES: String(GRACE_MINUTES) },
  });
  try {
    const [untouched, perReschedule] = await Promise.all([
      untouchedLesson(stack),
      actionsPerReschedule(stack, reschedules),
    ]);
    return [
      {
        group: 'Temporal Cloud actions',
        name: 'lesson booked and finished untouched',
        value: untouched.total,
        unit: 'actions',
        notes: `${describeCloudActions(untouched)}; Daily (no Zoom connection), as in the burst`,
      },
      {
        group: 'Temporal Cloud actions',
        name: 'each reschedule',
        value: perReschedule.mean,
        unit: 'actions',
        notes: `mean of ${reschedules}; ${describeCloudActions(perReschedule.added)} in all`,
      },
    ];
  } finally {
    await stack.close();
  }
}

async function actionsOf(stack: TestStack, lessonId: string): Promise<CloudActions> {
  const history = await stack.temporal.client.workflow.getHandle(lessonWorkflowId(lessonId)).fetchHistory();
  // protobufjs' JSON form: the form the saved histories are kept in
  return countCloudActions(JSON.parse(JSON.stringify(history)) as Parameters<typeof countCloudActions>[0]);
}

/** Booked a few seconds ahead for ten seconds, then left alone until its workflow finishes it. */
async function untouchedLesson(stack: TestStack): Promise<CloudActions> {
  const startsAt = new Date(Date.now() + 5_000);
  const b = {
    ...booking(),
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 10_000).toISOString(),
  };
  const answer = await api(stack).book(b);
  if (answer.status !== 200 && answer.status !== 202) throw new Error(`booking answered ${answer.status}`);
  const state = await stack.temporal.client.workflow.getHandle(lessonWorkflowId(b.id)).result();
  if (state.status !== 'finished') throw new Error(`the untouched lesson ended ${String(state.status)}`);
  return actionsOf(stack, b.id);
}

/** The actions a lesson's history gains over `count` reschedules, each applied before the next. */
async function actionsPerReschedule(
  stack: TestStack,
  count: number,
): Promise<{ mean: number; added: CloudActions }> {
  const b = booking();
  await api(stack).book(b);
  await waitForLessonIdle(stack, b.id);
  const before = await actionsOf(stack, b.id);
  for (let i = 1; i <= count; i++) {
    const startsAt = new Date(Date.parse(b.startsAt) + i * 3_600_000);
    const times = {
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
    };
    const answer = await api(stack).reschedule(b.id, times);
    if (answer.status !== 200 && answer.status !== 202)
      throw new Error(`reschedule answered ${answer.status}`);
    await waitForLessonIdle(stack, b.id);
  }
  const after = await actionsOf(stack, b.id);
  await api(stack).cancel(b.id);
  const byRule = Object.fromEntries(
    Object.entries(after.byRule)
      .map(([rule, n]) => [rule, n - (before.byRule[rule as keyof typeof before.byRule] ?? 0)])
      .filter(([, n]) => n !== 0),
  ) as CloudActions['byRule'];
  const total = after.total - before.total;
  return { mean: total / count, added: { total, byRule } };
}
