const MAX_RETRY_MS = 3600_000;

/**
 * The delay before attempt `attempts + 1` when attempt `attempts` fails (or never reports back):
 * `firstRetryMs`, doubling with each attempt, up to an hour. Shared by the durable outboxes
 * (dropped-grant revocations, platform events).
 */
export function retryDelayMs(attempts: number, firstRetryMs: number): number {
  return Math.min(firstRetryMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}
