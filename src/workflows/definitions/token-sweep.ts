import { defineQuery } from '@temporalio/workflow';

/** Ids and shapes shared by the sweep, the saga, the schedule and the ops CLI. */
export const TOKEN_SWEEP_WORKFLOW_TYPE = 'tokenSweepWorkflow';
export const ZOOM_RECONNECTION_WORKFLOW_TYPE = 'zoomReconnectionWorkflow';
export const VALIDATION_SCHEDULE_ID = 'validate-zoom-tokens';

export const zoomReconnectionWorkflowId = (tokenId: string, day: string): string =>
  `zoom-reconnection/${tokenId}/${day}`;
export const tokenSweepWorkflowId = (day: string): string => `token-sweep/${day}`;

export interface SweepSettings {
  pageSize: number;
  concurrency: number;
  maxAttempts: number;
  /** Pages per run before continue-as-new (default 50). */
  pagesPerRun?: number;
  /** How long an outage (most of a page failing transiently) pauses the sweep (default 5 minutes). */
  outagePauseMs?: number;
  /**
   * How long an outage may last before the sweep fails, visibly, so that the next day's scheduled
   * sweep is not skipped behind it (default 12 hours).
   */
  maxOutageMs?: number;
  /**
   * Outage rounds (a page retried after a pause) per run before continue-as-new (default 10):
   * each records the failed page in the history, so a long outage must not grow one run.
   */
  outageRoundsPerRun?: number;
}

export interface SweepCounters {
  pages: number;
  validated: number;
  valid: number;
  sagasStarted: number;
  sagasAlreadyRunning: number;
  outagePauses: number;
  /** Runs of the sweep so far: continue-as-new starts a new one. */
  runs: number;
  /** Rows skipped because they cannot be decrypted (each logged at error with its token id). */
  unreadable: number;
  /** The first of those token ids, for the operator (all of them are in the worker's error logs). */
  unreadableTokenIds: string[];
}

export interface TokenSweepInput {
  /** yyyy-mm-dd (UTC); defaults to the schedule's nominal time, else the start time. */
  sweepDate?: string;
  settings?: SweepSettings;
  cursor?: string | null;
  counters?: SweepCounters;
  /** When the outage under way began (workflow time, ms), carried by continue-as-new for `maxOutageMs`. */
  outageSince?: number;
}

export interface SweepProgress extends SweepCounters {
  sweepDate: string;
  cursor: string | null;
  finished: boolean;
}

export interface ReconnectionInput {
  tokenId: string;
  tutorId: string;
  zoomUserId: string;
  day: string;
  maxAttempts: number;
}

export const sweepProgressQuery = defineQuery<SweepProgress>('sweepProgress');
