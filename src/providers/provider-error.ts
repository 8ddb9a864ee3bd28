/**
 * One error for every provider, classified for the layers above:
 * - transient: 5xx, 429, network errors, timeouts; retry later (after retryAfterMs when known);
 * - invalid-connection: the tutor's Zoom connection is dead (invalid_grant, 124, 1001);
 * - not-found: the meeting or room is gone (a delete treats it as done);
 * - conflict: the resource exists already (a Daily room name);
 * - rejected: any other permanent client error (validation, bad credentials of ours).
 * Messages never carry tokens, keys or request headers.
 */
export type ProviderName = 'zoom' | 'daily' | 'sendgrid';
export type ProviderErrorKind = 'transient' | 'invalid-connection' | 'not-found' | 'conflict' | 'rejected';

export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly provider: ProviderName;
  readonly kind: ProviderErrorKind;
  readonly status?: number;
  readonly code?: string | number;
  readonly retryAfterMs?: number;

  constructor(init: {
    provider: ProviderName;
    kind: ProviderErrorKind;
    message: string;
    status?: number;
    code?: string | number;
    retryAfterMs?: number;
  }) {
    super(`${init.provider}: ${init.message}`);
    this.provider = init.provider;
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
  }

  get transient(): boolean {
    return this.kind === 'transient';
  }
}

export function isProviderError(error: unknown, kind?: ProviderErrorKind): error is ProviderError {
  return error instanceof ProviderError && (kind === undefined || error.kind === kind);
}
