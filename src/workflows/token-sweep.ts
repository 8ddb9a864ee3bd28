import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { TokenSweepActivities } from '../activities/token-sweep';
import {
  sweepProgressQuery,
  type SweepCounters,
  type SweepSettings,
  type TokenSweepInput,
} from './definitions/token-sweep';
import { startSagas } from './token-sweep-sagas';

const { validateTokenPage } = proxyActivities<TokenSweepActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/** Set by the server on runs a schedule starts: the nominal time, whatever the delay. */
const ScheduledStartTime = defineSearchAttributeKey(
  'TemporalScheduledStartTime',
  SearchAttributeType.DATETIME,
);

const DEFAULT_SETTINGS: SweepSettings = { pageSize: 500, concurrency: 50, maxAttempts: 3 };
const PAGES_PER_RUN = 50;
const MAX_CHILDREN_PER_RUN = 1000;
const OUTAGE_SHARE = 0.8;
const MAX_OUTAGE_MS = 12 * 3600_000;
const UNREADABLE_IDS_KEPT = 20;
const OUTAGE_ROUNDS_PER_RUN = 10;

type Page = Awaited<ReturnType<typeof validateTokenPage>>;

/** One run of the sweep: what continue-as-new carries, and what this run has done so far. */
interface SweepRun {
  sweepDate: string;
  settings: SweepSettings;
  cursor: string | null;
  counters: SweepCounters;
  outageSince?: number;
  pages: number;
  children: number;
  outageRounds: number;
}

/**
 * The daily sweep (the seed's ValidateZoomTokens, step 1): pages through every Zoom token by key,
 * validates each page in one activity, and starts a reconnection saga for every token that fails.
 */
export async function tokenSweepWorkflow(
  input: TokenSweepInput = {},
): Promise<SweepCounters & { sweepDate: string }> {
  const run = beginRun(input);
  let finished = false;
  setHandler(sweepProgressQuery, () => ({
    ...run.counters,
    sweepDate: run.sweepDate,
    cursor: run.cursor,
    finished,
  }));

  for (;;) {
    // 1. Validate the next page of tokens.
    const page = await validateTokenPage({
      afterId: run.cursor,
      limit: run.settings.pageSize,
      concurrency: run.settings.concurrency,
    });
    if (page.processed === 0) break;

    // 2. Most of it failing transiently is Zoom's outage, not tutors' problems: the page again later.
    if (isOutage(page)) {
      await waitOutOutage(run);
      if (
        run.outageRounds >= (run.settings.outageRoundsPerRun ?? OUTAGE_ROUNDS_PER_RUN) ||
        workflowInfo().continueAsNewSuggested
      )
        await continueSweep(run); // the next run tries the page again at once
      continue;
    }
    run.outageSince = undefined;

    // 3. A reconnection saga for each token that failed; then the page is counted.
    run.children += await startSagas(page.failing, run.sweepDate, run.settings.maxAttempts, run.counters);
    countPage(run, page);

    // 4. The last page ends the sweep; a long one goes on in a fresh run, before its history grows large.
    if (page.last) break;
    if (
      workflowInfo().continueAsNewSuggested ||
      run.pages >= (run.settings.pagesPerRun ?? PAGES_PER_RUN) ||
      run.children >= MAX_CHILDREN_PER_RUN
    )
      await continueSweep(run);
  }
  finished = true;
  return { ...run.counters, sweepDate: run.sweepDate };
}

/** This run, from what the last one carried; its date from the schedule's nominal time unless given. */
function beginRun(input: TokenSweepInput): SweepRun {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(ScheduledStartTime);
  const counters: SweepCounters = {
    pages: 0,
    validated: 0,
    valid: 0,
    sagasStarted: 0,
    sagasAlreadyRunning: 0,
    outagePauses: 0,
    runs: 0,
    unreadable: 0,
    unreadableTokenIds: [],
    ...input.counters,
  };
  counters.runs += 1;
  return {
    sweepDate: input.sweepDate ?? (scheduled ?? info.startTime).toISOString().slice(0, 10),
    settings: input.settings ?? DEFAULT_SETTINGS,
    cursor: input.cursor ?? null,
    counters,
    outageSince: input.outageSince,
    pages: 0,
    children: 0,
    outageRounds: 0,
  };
}

/** Rows that can't be decrypted were skipped (and logged): they are nobody's failed check. */
const checkedOn = (page: Page): number => page.processed - page.unreadable.length;

function isOutage(page: Page): boolean {
  const checked = checkedOn(page);
  const transient = page.failing.filter((f) => f.reason === 'transient').length;
  return checked >= 10 && transient / checked >= OUTAGE_SHARE;
}

/**
 * A pause before the page is tried again. An outage that never ends (our client secret refused
 * after a rotation) fails the sweep, visibly, so the schedule's next sweep is not skipped behind it.
 */
async function waitOutOutage(run: SweepRun): Promise<void> {
  run.counters.outagePauses += 1;
  run.outageSince ??= Date.now();
  const lasted = Date.now() - run.outageSince;
  if (lasted >= (run.settings.maxOutageMs ?? MAX_OUTAGE_MS))
    throw ApplicationFailure.nonRetryable(
      `Zoom failed most of a page for ${Math.round(lasted / 60_000)} minutes: the sweep gives up (see the worker's error logs); no tutor was counted`,
      'SweepOutage',
      { ...run.counters, sweepDate: run.sweepDate, cursor: run.cursor },
    );
  await sleep(run.settings.outagePauseMs ?? 5 * 60_000);
  run.outageRounds += 1;
}

function countPage(run: SweepRun, page: Page): void {
  const { counters } = run;
  counters.pages += 1;
  counters.validated += checkedOn(page);
  counters.unreadable += page.unreadable.length;
  counters.unreadableTokenIds = [...counters.unreadableTokenIds, ...page.unreadable].slice(
    0,
    UNREADABLE_IDS_KEPT,
  );
  counters.valid += page.valid;
  run.cursor = page.lastId;
  run.pages += 1;
}

/** Handlers finish first; the cursor, the counters and an outage under way go on to the next run. */
async function continueSweep(run: SweepRun): Promise<never> {
  await condition(allHandlersFinished);
  const { sweepDate, settings, cursor, counters, outageSince } = run;
  return continueAsNew<typeof tokenSweepWorkflow>({ sweepDate, settings, cursor, counters, outageSince });
}
