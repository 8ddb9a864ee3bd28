import { activityInfo, heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type {
  TokenSweep,
  PageProgress,
  PageResult,
} from '../services/token-sweep/token-sweep';

const HEARTBEAT_EVERY_MS = 1000;

/** What an earlier attempt of this page heartbeated as done, so a retry does not check it again. */
function progressOf(details: unknown): PageProgress | undefined {
  const done = (details as { done?: Partial<PageProgress> } | undefined)?.done;
  if (!Array.isArray(done?.validIds) || !Array.isArray(done?.failing)) return undefined;
  return { validIds: done.validIds, failing: done.failing };
}

export interface TokenSweepActivityDeps {
  sweep: TokenSweep;
}

/** Thin adapters from the token sweep services to Temporal. */
export function createTokenSweepActivities({ sweep }: TokenSweepActivityDeps) {
  return {
    /** Step 1–2 for one page of tokens; heartbeats its progress so a stuck attempt is noticed and retried. */
    async validateTokenPage(input: {
      afterId: string | null;
      limit: number;
      concurrency: number;
    }): Promise<PageResult> {
      const { attempt, heartbeatDetails } = activityInfo();
      // A heartbeat converts the whole progress to a payload: once a second is enough to resume from.
      let lastBeat = 0;
      return sweep.validatePage({
        ...input,
        resume: progressOf(heartbeatDetails),
        onProgress: (done) => {
          if (Date.now() - lastBeat < HEARTBEAT_EVERY_MS) return;
          lastBeat = Date.now();
          heartbeat({ done, attempt });
        },
      });
    },

    /** The saga's step 1: valid, invalid (permanent) or, for transient faults, a retryable failure. */
    async validateZoomToken(input: {
      tokenId: string;
    }): Promise<{ outcome: 'valid' | 'invalid' | 'missing'; version?: number; reason?: string }> {
      const result = await sweep.validateWithRetries(input.tokenId, 1);
      if (result.outcome === 'transient') {
        throw ApplicationFailure.create({
          message: result.reason,
          type: 'transient',
          nextRetryDelay: result.retryAfterMs ? Math.max(1000, result.retryAfterMs) : undefined,
        });
      }
      if (result.outcome === 'missing') return { outcome: 'missing' };
      return result.outcome === 'valid'
        ? { outcome: 'valid', version: result.version }
        : { outcome: 'invalid', version: result.version, reason: result.reason };
    },

    async resetReconnectionAttempts(input: { tokenId: string }): Promise<void> {
      await sweep.resetAttempts(input.tokenId);
    },

    /** Steps 3–5: email, count, and at the maximum revoke and delete. */
    handleInvalidToken(
      input: Parameters<TokenSweep['handleInvalidToken']>[0],
    ): ReturnType<TokenSweep['handleInvalidToken']> {
      return sweep.handleInvalidToken(input);
    },
  };
}
export type TokenSweepActivities = ReturnType<typeof createTokenSweepActivities>;
