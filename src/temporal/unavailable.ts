import { isGrpcServiceError } from '@temporalio/client';
import { TemporalDeadlineError } from './deadline';

// gRPC status codes (@grpc/grpc-js is the SDK's dependency, not ours).
const DEADLINE_EXCEEDED = 4;
const RESOURCE_EXHAUSTED = 8;
const UNAVAILABLE = 14;

/**
 * Codes that mean "Temporal did not take the call; try again later": unreachable (once the
 * SDK's own retries are spent), no answer in time (theirs, or our deadline's: TemporalDeadlineError),
 * or rate-limited.
 */
const RETRY_LATER = new Set([UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED]);

/** True when `error`, or an error it wraps (the client's ServiceError wraps the gRPC one), is one of those. */
export function isTemporalUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let cause = error; cause instanceof Error && !seen.has(cause); cause = cause.cause) {
    if (cause instanceof TemporalDeadlineError) return true;
    if (isGrpcServiceError(cause) && RETRY_LATER.has(cause.code)) return true;
    seen.add(cause);
  }
  return false;
}
