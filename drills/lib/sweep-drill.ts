import type { SweepCounters } from '../../src/workflows/definitions/validation';
import { waitUntil } from './converge';
import type { DrillStack } from './drill-stack';
import { checkEmails } from './email-invariants';
import { disruptWhen, seconds, settle, withDrillStack } from './run-drill';
import {
  checkTokens,
  closedSagas,
  reconnectEmailKeys,
  reconnectEmailsRecorded,
  seedSweep,
  startSweep,
} from './sweep';
import type { Drill, DrillContext } from './types';

export interface SweepDrillSpec {
  name: string;
  title: string;
  /** Before the sweep starts: faults, latency. */
  prepare?(ds: DrillStack): void;
  /** In the middle of the sweep; answers a note saying what it did. */
  disrupt?(ds: DrillStack, ctx: DrillContext): Promise<string>;
  lostAnswerFaults?: ReadonlySet<string>;
  describe?(ds: DrillStack): string;
}

/** Pages of 25 tokens, 5 validations at once, each slowed so that the sweep lasts about 10 s. */
const PAGE_SIZE = 25;
const CONCURRENCY = 5;
const SWEEP_MS = 10_000;
const validationLatencyMs = (tokens: number): number =>
  Math.max(100, Math.ceil((SWEEP_MS * CONCURRENCY) / tokens));

/** Where the sweep is: its status, and whether a page is being validated. */
async function sweepState(handle: Awaited<ReturnType<typeof startSweep>>): Promise<string> {
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
    run: (ctx) =>
      withDrillStack(ctx, spec, { workers: 1 }, async (ds) => {
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
        const swept = await waitUntil(
          `${spec.name}: sweep`,
          1,
          async () => {
            const described = await handle.describe();
            return described.status.name === 'RUNNING' ? 0 : 1;
          },
          deadlineMs,
        );
        const sagas = await waitUntil(
          `${spec.name}: sagas`,
          expectedEmails.length,
          () => closedSagas(stack, plan),
          deadlineMs,
        );
        const durationMs = performance.now() - started;
        await settle();
        const tokens = await checkTokens(stack, plan);
        const emails = await checkEmails(stack, expectedEmails, {
          lostAnswerFaults: spec.lostAnswerFaults,
          disruptedAt: disrupted.at,
        });

        if (swept.done) {
          const summary = (await handle.result()) as SweepCounters;
          notes.push(
            `sweep: ${summary.validated} validated, ${summary.sagasStarted} sagas (+${summary.sagasAlreadyRunning} already running), ${summary.outagePauses} outage pauses, ${summary.runs} run(s)`,
          );
        } else notes.push(`the sweep did not finish in ${seconds(swept.ms)}`);
        if (!sagas.done) notes.push(`only ${sagas.value}/${expectedEmails.length} sagas closed`);
        if (emails.lostAnswers) notes.push(`${emails.lostAnswers} SendGrid answers lost after the send`);
        if (spec.describe) notes.push(spec.describe(ds));
        notes.push(...tokens.problems, ...emails.problems);
        return {
          subjects: `${plan.tokens.length} tokens (${expectedEmails.length} failing)`,
          durationMs,
          converged: swept.done && sagas.done,
          tokens,
          emails,
          notes,
        };
      }),
  };
}
