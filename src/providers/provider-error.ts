/**
 * One error for every provider, classified for the layers above. The activities map `transient`
 * to a retryable failure (with `retryAfterMs` as the next retry delay) and every other kind to a
 * non-retryable one whose type is the kind:
 * - transient: 5xx, 429, network errors, resets, timeouts; retry later (after retryAfterMs when known).
 *   A 429 from Zoom's per-host daily meeting limit is transient too, but flagged `dailyLimit`: its
 *   delay runs to midnight UTC, so a caller with a deadline may prefer to fall back at once;
 * - invalid-connection: the tutor's Zoom connection is dead (invalid_grant, 124, 1001). A 124 can
 *   also mean a merely expired access token: the caller decides, after a fresh refresh, whether it is final;
 * - not-found: the meeting or room is gone (a delete treats it as done);
 * - conflict: the resource exists already (a Daily room name);
 * - rejected: any other permanent client error: validation, our own credentials refused
 *   (`status` tells 400 from 401/403), or a request refused before it was sent;
 * - invalid-response: a 2xx answer we cannot read (a broken contract; retrying won't mend it).
 * Messages and properties never carry tokens, keys, codes or request headers.
 */
export type ProviderName = 'zoom' | 'daily' | 'sendgrid' | 'platform';
export type ProviderErrorKind =
  'transient' | 'invalid-connection' | 'not-found' | 'conflict' | 'rejected' | 'invalid-response';

export interface ProviderErrorInit {
  provider: ProviderName;
  kind: ProviderErrorKind;
  message: string;
  status?: number;
  code?: string | number;
  retryAfterMs?: number;
  dailyLimit?: boolean;
  requestId?: string;
}

export class ProviderError extends Error {
  override name = 'ProviderError';
  readonly provider: ProviderName;
  readonly kind: ProviderErrorKind;
  /** The HTTP status, when the provider answered. */
  readonly status?: number;
  /** The provider's own code (Zoom 124, 'invalid_grant', Daily 'not-found'), or a network code such as 'ECONNRESET'. */
  readonly code?: string | number;
  /** How long the provider asked us to wait (Retry-After, X-RateLimit-Reset), clamped at ≥ 0. */
  readonly retryAfterMs?: number;
  /** Zoom's per-host daily create/update limit: retryable only after midnight UTC. */
  readonly dailyLimit: boolean;
  /** The provider's id for the exchange (Zoom's x-zm-trackingid), which its support asks for. */
  readonly requestId?: string;

  constructor(init: ProviderErrorInit) {
    super(`${init.provider}: ${init.message}`);
    this.provider = init.provider;
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
    this.dailyLimit = init.dailyLimit ?? false;
    this.requestId = init.requestId;
  }

  get transient(): boolean {
    return this.kind === 'transient';
  }
}

export function isProviderError(error: unknown, kind?: ProviderErrorKind): error is ProviderError {
  return error instanceof ProviderError && (kind === undefined || error.kind === kind);
}

/** Worth retrying later: 5xx, 429 (the daily limit included), network errors and timeouts. */
export const isTransient = (error: unknown): error is ProviderError => isProviderError(error, 'transient');

/** A provider error that no retry will mend. */
export const isPermanent = (error: unknown): error is ProviderError =>
  isProviderError(error) && error.kind !== 'transient';

export const isInvalidConnection = (error: unknown): error is ProviderError =>
  isProviderError(error, 'invalid-connection');

export const isNotFound = (error: unknown): error is ProviderError => isProviderError(error, 'not-found');

export const isConflict = (error: unknown): error is ProviderError => isProviderError(error, 'conflict');

/** Zoom's daily meeting create/update limit was reached for this host. */
export const isDailyLimit = (error: unknown): error is ProviderError =>
  isProviderError(error) && error.dailyLimit;
