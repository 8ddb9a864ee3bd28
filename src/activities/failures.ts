import { ApplicationFailure } from '@temporalio/common';
import { isProviderError } from '../providers/provider-error';

/**
 * Where provider errors become Temporal failures: transient ones are retried (after the
 * provider's Retry-After when it gave one); every other kind is final, with the kind as its type
 * so workflows can branch on it ('invalid-connection', 'not-found', 'conflict', 'rejected', 'invalid-response').
 */
export function toActivityFailure(error: unknown): Error {
  if (!isProviderError(error)) return error instanceof Error ? error : new Error(String(error));
  if (error.kind === 'transient') {
    return ApplicationFailure.create({
      message: error.message,
      type: 'transient',
      nonRetryable: false,
      nextRetryDelay: error.retryAfterMs !== undefined ? Math.max(1000, error.retryAfterMs) : undefined,
    });
  }
  return ApplicationFailure.nonRetryable(error.message, error.kind);
}

/** Wraps an activity body so that every thrown provider error is classified. */
export async function classified<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toActivityFailure(error);
  }
}
