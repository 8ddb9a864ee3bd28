import type { Client } from '@temporalio/client';

/**
 * Temporal did not answer within a call's deadline. The SDK's gRPC retries sleep past a deadline
 * (a 4 s deadline ended after 5.5–6.3 s against a closed port), so the caller stops waiting here.
 */
export class TemporalDeadlineError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Temporal did not answer within ${timeoutMs} ms`);
    this.name = 'TemporalDeadlineError';
  }
}

/**
 * Runs Temporal calls with a gRPC deadline `timeoutMs` from now, and rejects with
 * TemporalDeadlineError at that moment even while the SDK is still between retries: a call still
 * under way then ends on its own deadline, its result ignored.
 */
export async function withinDeadline<T>(
  client: Client,
  timeoutMs: number,
  calls: () => Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TemporalDeadlineError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([client.withDeadline(Date.now() + timeoutMs, calls), late]);
  } finally {
    clearTimeout(timer);
  }
}
