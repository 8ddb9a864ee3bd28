import { proxyActivities } from '@temporalio/workflow';
import type { GrantRevocationActivities } from '../activities/grant-revocations';
import type { GrantRevocationsInput, GrantRevocationsResult } from './definitions/revocation';
import { runDuePass } from './due-passes';

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
 * forget, or find it dead). Started by its schedule every REVOCATION_POLL_SECONDS and woken by drops.
 */
export async function grantRevocationsWorkflow(
  input: GrantRevocationsInput = {},
): Promise<GrantRevocationsResult> {
  return runDuePass(
    (limit) => listDueRevocations({ limit }),
    (revocationId) => processRevocation({ revocationId }),
    input,
  );
}
