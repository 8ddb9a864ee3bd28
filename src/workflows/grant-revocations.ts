import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { GrantRevocationActivities } from '../activities/grant-revocations';
import type { GrantRevocationsInput, GrantRevocationsResult } from './definitions/revocation';

const { listDueRevocations } = proxyActivities<GrantRevocationActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 3 },
});

// One attempt a few Zoom calls long. The attempt's own failures are booked in its row with
// backoff; these retries only cover the worker or PostgreSQL failing under it.
const { processRevocation } = proxyActivities<GrantRevocationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumAttempts: 3 },
});

/**
 * One pass over the dropped grants that are due: each gets one attempt (revoke at Zoom, or
 * forget, or find it dead). Started by its schedule every REVOCATION_POLL_SECONDS and woken by
 * drops; a run that fails or is lost leaves the rows due, so the next run takes them.
 */
export async function grantRevocationsWorkflow(
  input: GrantRevocationsInput = {},
): Promise<GrantRevocationsResult> {
  const batchSize = input.batchSize ?? 20;
  const counts: GrantRevocationsResult = {};
  for (let round = 0; round < (input.maxRounds ?? 10); round++) {
    const ids = await listDueRevocations({ limit: batchSize });
    await Promise.all(
      ids.map(async (revocationId) => {
        let result: string;
        try {
          result = await processRevocation({ revocationId });
        } catch (error) {
          if (!(error instanceof ActivityFailure)) throw error;
          result = 'failed'; // still due: the next run tries again
        }
        counts[result] = (counts[result] ?? 0) + 1;
      }),
    );
    if (ids.length < batchSize) break;
  }
  return counts;
}
