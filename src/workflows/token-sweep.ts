import {
  ApplicationFailure,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  continueAsNew,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
  condition,
  allHandlersFinished,
  patched,
} from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { TokenValidationActivities } from '../activities/token-validation';
import { ReconnectionOutcome, TutorId, ZoomUserId } from '../temporal/search-attributes';
import { zoomReconnectionWorkflow } from './zoom-reconnection';
import {
  sweepProgressQuery,
  zoomReconnectionWorkflowId,
  type SweepCounters,
  type SweepSettings,
  type TokenSweepInput,
} from './definitions/validation';

const { validateTokenPage } = proxyActivities<TokenValidationActivities>({
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

/**
 * Sweeps since this patch fail once an outage outlasts `maxOutageMs`: an outage that never ends
 * (our client secret refused after a rotation) would otherwise pause the sweep for good, and the
 * schedule (overlap SKIP) would skip every next day's sweep behind it.
 */
const OUTAGE_LIMIT_PATCH = 'sweep-fails-after-long-outage';

/**
 * Sweeps since this patch continue-as-new during a long outage too (when the server suggests it,
 * or after `outageRoundsPerRun` rounds), carrying when the outage began: each round records its
 * failed page, so one run's history would otherwise grow for as long as Zoom is down.
 */
const OUTAGE_CONTINUE_PATCH = 'sweep-continues-as-new-during-outage';

function sweepDateOf(input: TokenSweepInput): string {
  if (input.sweepDate) return input.sweepDate;
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(ScheduledStartTime);
  return (scheduled ?? info.startTime).toISOString().slice(0, 10);
}

/**
 * The daily sweep (the seed's ValidateZoomTokens, step 1): pages through every Zoom token by key,
 * validates each page in one activity, and starts a reconnection saga for every token that fails.
 */
export async function tokenSweepWorkflow(
  input: TokenSweepInput = {},
): Promise<SweepCounters & { sweepDate: string }> {
  const sweepDate = sweepDateOf(input);
  const settings = input.settings ?? DEFAULT_SETTINGS;
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
    ...input.counters, // carried by continue-as-new; from older runs, without the unreadable ones
  };
  counters.runs += 1;
  let cursor = input.cursor ?? null;
  let finished = false;
  setHandler(sweepProgressQuery, () => ({ ...counters, sweepDate, cursor, finished }));

  let outageSince = input.outageSince;
  let pagesThisRun = 0;
  let childrenThisRun = 0;
  let outageRoundsThisRun = 0;
  const continueSweep = async (): Promise<never> => {
    await condition(allHandlersFinished);
    return continueAsNew<typeof tokenSweepWorkflow>({ sweepDate, settings, cursor, counters, outageSince });
  };
  for (;;) {
    const page = await validateTokenPage({
      afterId: cursor,
      limit: settings.pageSize,
      concurrency: settings.concurrency,
    });
    if (page.processed === 0) break;

    // Rows that can't be decrypted were skipped (and logged): they are nobody's failed check.
    const unreadable = page.unreadable ?? [];
    const checked = page.processed - unreadable.length;
    // Most of a page failing transiently is an outage, not tutors' problems: try the page again later.
    const transient = page.failing.filter((f) => f.reason === 'transient').length;
    if (checked >= 10 && transient / checked >= OUTAGE_SHARE) {
      counters.outagePauses += 1;
      outageSince ??= Date.now();
      if (Date.now() - outageSince >= (settings.maxOutageMs ?? MAX_OUTAGE_MS) && patched(OUTAGE_LIMIT_PATCH))
        throw ApplicationFailure.nonRetryable(
          `Zoom failed most of a page for ${Math.round((Date.now() - outageSince) / 60_000)} minutes: the sweep gives up (see the worker's error logs); no tutor was counted`,
          'SweepOutage',
          { ...counters, sweepDate, cursor },
        );
      await sleep(settings.outagePauseMs ?? 5 * 60_000);
      outageRoundsThisRun += 1;
      if (
        (workflowInfo().continueAsNewSuggested ||
          outageRoundsThisRun >= (settings.outageRoundsPerRun ?? OUTAGE_ROUNDS_PER_RUN)) &&
        patched(OUTAGE_CONTINUE_PATCH)
      )
        await continueSweep(); // the next run tries the page again at once
      continue;
    }
    outageSince = undefined;

    for (const token of page.failing) {
      try {
        await startChild(zoomReconnectionWorkflow, {
          workflowId: zoomReconnectionWorkflowId(token.tokenId, sweepDate),
          args: [
            {
              tokenId: token.tokenId,
              tutorId: token.tutorId,
              zoomUserId: token.zoomUserId,
              day: sweepDate,
              maxAttempts: settings.maxAttempts,
            },
          ],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
          workflowExecutionTimeout: '23 hours',
          typedSearchAttributes: [
            { key: TutorId, value: token.tutorId },
            { key: ZoomUserId, value: token.zoomUserId },
            { key: ReconnectionOutcome, value: 'pending' },
          ],
          memo: { tutorEmail: token.email ?? '' },
        });
        counters.sagasStarted += 1;
        childrenThisRun += 1;
      } catch (error) {
        if ((error as Error).name !== 'WorkflowExecutionAlreadyStartedError') throw error;
        counters.sagasAlreadyRunning += 1; // today's saga exists: the sweep was triggered twice
      }
    }
    counters.pages += 1;
    counters.validated += checked;
    counters.unreadable += unreadable.length;
    counters.unreadableTokenIds = [...counters.unreadableTokenIds, ...unreadable].slice(
      0,
      UNREADABLE_IDS_KEPT,
    );
    counters.valid += page.valid;
    cursor = page.lastId;
    pagesThisRun += 1;

    // `last` is absent from pages recorded before it existed; they end on a short page as before.
    if (page.last || page.processed < settings.pageSize) break;
    if (
      workflowInfo().continueAsNewSuggested ||
      pagesThisRun >= (settings.pagesPerRun ?? PAGES_PER_RUN) ||
      childrenThisRun >= MAX_CHILDREN_PER_RUN
    )
      await continueSweep();
  }
  finished = true;
  return { ...counters, sweepDate };
}
