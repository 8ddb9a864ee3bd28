import { apiErrors, bookAll, pendingSummary, planBurst, quietLessons, readyLessons } from './burst';
import { waitUntil } from './converge';
import type { DrillStack } from './drill-stack';
import { bookedEmailKeys, checkEmails, emailNotes } from './email-invariants';
import { checkLessonMeetings } from './lesson-invariants';
import { disruptWhen, seconds, settle, withDrillStack, type Measured } from './run-drill';
import type { Drill, DrillContext, DrillNeed } from './types';

export interface BurstDrillSpec {
  name: string;
  title: string;
  needs?: DrillNeed[];
  /** Worker processes sharing the task queue (default 1). */
  workers?: number;
  /** Before the burst: inject faults, and the like. */
  prepare?(ds: DrillStack): void;
  /** In the middle of the burst; answers a note saying what it did. */
  disrupt?(ds: DrillStack, ctx: DrillContext): Promise<string>;
  /** How far the burst gets before the disruption (default a quarter of the lessons ready). */
  disruptAt?: number;
  /** Fault rules that lose SendGrid's answer after the send, for the email report. */
  lostAnswerFaults?: ReadonlySet<string>;
  /** Extra notes once the burst has settled (fault counts…). */
  describe?(ds: DrillStack): string;
}

/**
 * A booking burst through `POST /lessons` (half Zoom tutors, half Daily), with an optional
 * disruption in the middle; then it waits for every lesson to be ready and quiet, and checks the
 * invariants: one row and one live provider meeting per lesson, each email sent exactly once.
 */
export function burstDrill(spec: BurstDrillSpec): Drill {
  return {
    name: spec.name,
    title: spec.title,
    needs: spec.needs,
    run: (ctx) => withDrillStack(ctx, spec, { workers: spec.workers ?? 1 }, (ds) => runBurst(spec, ctx, ds)),
  };
}

/** The burst itself, on a stack already running: also one half of a cluster drill. */
export async function runBurst(spec: BurstDrillSpec, ctx: DrillContext, ds: DrillStack): Promise<Measured> {
  const { stack } = ds;
  const { deadlineMs } = ctx.options;
  const bookings = await planBurst(stack, ctx.options.lessons);
  const ids = bookings.map((b) => b.id);
  spec.prepare?.(ds);
  const started = performance.now();
  const booking = bookAll(stack, bookings, deadlineMs, ds.apiUrls);
  const stuck = (): Promise<string> => pendingSummary(stack, ids);
  const disrupted = spec.disrupt
    ? await disruptWhen(
        ctx,
        {
          label: spec.name,
          total: ids.length,
          share: spec.disruptAt ?? 0.25,
          probe: () => readyLessons(stack, ids),
          diagnose: stuck,
        },
        () => spec.disrupt!(ds, ctx),
      )
    : { notes: [] };
  const { notes } = disrupted;
  const booked = await booking;
  const ready = await waitUntil(
    `${spec.name}: ready`,
    ids.length,
    () => readyLessons(stack, ids),
    deadlineMs,
  );
  const durationMs = performance.now() - started;
  const quiet = await waitUntil(
    `${spec.name}: quiet`,
    ids.length,
    () => quietLessons(stack, ids),
    deadlineMs,
  );
  await settle();
  const meetings = await checkLessonMeetings(stack, ids);
  const emails = await checkEmails(stack, bookedEmailKeys(ids), {
    lostAnswerFaults: spec.lostAnswerFaults,
    disruptedAt: disrupted.at,
  });

  const reasons = Object.entries(booked.retryReasons).map(([why, n]) => `${n}× ${why}`);
  notes.push(
    `${booked.accepted}/${ids.length} accepted, ${booked.retries} POSTs repeated${reasons.length ? ` (${reasons.join(', ')})` : ''}`,
  );
  const errors = apiErrors(stack);
  if (errors) notes.push(errors);
  if (booked.rejected.length) notes.push(`rejected: ${booked.rejected.slice(0, 3).join('; ')}`);
  if (!ready.done) notes.push(`only ${ready.value}/${ids.length} ready after ${seconds(ready.ms)}`);
  if (!quiet.done) notes.push(`only ${quiet.value}/${ids.length} quiet (activities still pending)`);
  if (!ready.done || !quiet.done) notes.push(await stuck());
  notes.push(...emailNotes(emails));
  if (spec.describe) notes.push(spec.describe(ds));
  notes.push(...meetings.problems, ...emails.problems);
  return {
    subjects: `${ids.length} lessons`,
    durationMs,
    converged: ready.done && quiet.done && booked.rejected.length === 0,
    meetings,
    emails,
    notes,
  };
}
