import type { SweepCounters } from '../../src/workflows/definitions/token-sweep';
import { waitUntil } from './converge';
import type { DrillStack } from './drill-stack';
import { checkEmails, emailNotes } from './email-invariants';
import { disruptWhen, seconds, settle, withDrillStack, type Measured } from './run-drill';
import {
  checkTokens,
  reconnectEmailKeys,
  reconnectEmailsRecorded,
  seedSweep,
  settledTokens,
  startSweep,
  type SweepPlan,
} from './sweep';
import type { Drill, DrillContext } from './types';
import type { TestStack } from '../../test/support/stack';

type SweepHandle = Awaited<ReturnType<typeof startSweep>>;

export interface SweepDrillSpec {
  name: string;
  title: string;
  /** Before the sweep starts: faults, latency. */
  prepare?(ds: DrillStack): void;
  /** In the middle of the sweep; answers a note saying what it did. */
  disrupt?(ds: DrillStack, ctx: DrillContext): Promise<string>;
  lostAnswerFaults?: ReadonlySet<string>;
  describe?(ds: DrillStack): string;
  /** Checks only the sweep's emails (after a burst on the same stack, which checked its own). */
  ownEmailsOnly?: boolean;
}

/** The idempotency keys of the sweep's emails: reconnection and disconnection, per token and day. */
const SWEEP_EMAIL_KEYS = /^zoom-reconnect:/;

/** Pages of 25 tokens, 5 validations at once, each slowed so that the sweep lasts about 10 s. */
const PAGE_SIZE = 25;
const CONCURRENCY = 5;
const SWEEP_MS = 10_000;
const validationLatencyMs = (tokens: number): number =>
  Math.max(100, Math.ceil((SWEEP_MS * CONCURRENCY) / tokens));

/** Waits for a sweep to close, then for the reconnection saga of every failing token. */
async function sweepToEnd(
  stack: TestStack,
  plan: SweepPlan,
  handle: SweepHandle,
  label: string,
  deadlineMs: number,
): Promise<{ done: boolean; note: string }> {
  const closed = async (): Promise<number> => ((await handle.describe()).status.name === 'RUNNING' ? 0 : 1);
  const swept = await waitUntil(label, 1, closed, deadlineMs);
  if (!swept.done) return { done: false, note: `the sweep did not finish in ${seconds(swept.ms)}` };
  const total = plan.tokens.length;
  const sagas = await waitUntil(`${label}: sagas`, total, () => settledTokens(stack, plan), deadlineMs);
  const c = (await handle.result()) as SweepCounters;
  const note = `${c.validated} validated, ${c.sagasStarted} sagas started (+${c.sagasAlreadyRunning} already there), ${c.outagePauses} outage pauses, ${c.runs} run(s)`;
  return sagas.done
    ? { done: true, note }
    : { done: false, note: `${note}; only ${sagas.value}/${total} tokens settled` };
}

/** Where the sweep is: its status, and whether a page is being validated. */
async function sweepState(handle: SweepHandle): Promise<string> {
  const described = await handle.describe();
  const paging = described.raw.pendingActivities?.some((a) => a.activityType?.name === 'validateTokenPage');
  return `sweep ${described.status.name}${paging ? ', a page in flight' : ''}`;
}

/**
 * The daily token sweep over seeded tokens (a quarter of them revoked at Zoom), with an optional
 * disruption once a quarter of the reconnection emails are out; then it waits for the sweep and
 * every saga, and checks that no token was lost or double-counted and each email went out once.
 */
export function sweepDrill(spec: SweepDrillSpec): Drill {
  return {
    name: spec.name,
    title: spec.title,
    run: (ctx) => withDrillStack(ctx, spec, { workers: 1 }, (ds) => runSweep(spec, ctx, ds)),
  };
}

/** The sweep itself, on a stack already running: also one half of a cluster drill. */
export async function runSweep(spec: SweepDrillSpec, ctx: DrillContext, ds: DrillStack): Promise<Measured> {
  const { stack } = ds;
  const { deadlineMs } = ctx.options;
  const plan = await seedSweep(stack, ctx.options.tokens);
  const expectedEmails = reconnectEmailKeys(plan);
  spec.prepare?.(ds);
  stack.zoom.faults.add({
    route: 'GET /v2/users/me',
    latencyMs: validationLatencyMs(plan.tokens.length),
  });
  const started = performance.now();
  const handle = await startSweep(stack, plan, PAGE_SIZE, CONCURRENCY);
  const disrupted = spec.disrupt
    ? await disruptWhen(
        ctx,
        {
          label: spec.name,
          total: expectedEmails.length,
          share: 0.25,
          probe: () => reconnectEmailsRecorded(stack),
        },
        async () => {
          const state = await sweepState(handle);
          return `${await spec.disrupt!(ds, ctx)} (${state})`;
        },
      )
    : { notes: [] };
  const { notes } = disrupted;
  const first = await sweepToEnd(stack, plan, handle, `${spec.name}: sweep`, deadlineMs);
  const durationMs = performance.now() - started;
  // The same day's sweep again (an operator's re-run): nothing may be counted or sent twice.
  const again = await startSweep(stack, plan, PAGE_SIZE, CONCURRENCY);
  const second = await sweepToEnd(stack, plan, again, `${spec.name}: re-run`, deadlineMs);
  notes.push(first.note, `same-day re-run: ${second.note}`);
  await settle();
  const tokens = await checkTokens(stack, plan);
  const emails = await checkEmails(stack, expectedEmails, {
    lostAnswerFaults: spec.lostAnswerFaults,
    disruptedAt: disrupted.at,
    scope: spec.ownEmailsOnly ? SWEEP_EMAIL_KEYS : undefined,
  });

  notes.push(...emailNotes(emails));
  if (spec.describe) notes.push(spec.describe(ds));
  notes.push(...tokens.problems, ...emails.problems);
  return {
    subjects: `${plan.tokens.length} tokens (${expectedEmails.length} failing)`,
    durationMs,
    converged: first.done && second.done,
    tokens,
    emails,
    notes,
  };
}
