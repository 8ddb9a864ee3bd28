import { redactSecrets, retryDelayFromHeaders, transientByStatus } from '../http';
import { ProviderError } from '../provider-error';

/** What @sendgrid/mail may throw: a ResponseError (status in `code`), an axios error, or a plain Error. */
interface SendGridFailure {
  code?: unknown;
  message?: unknown;
  isAxiosError?: unknown;
  response?: {
    headers?: unknown;
    body?: { errors?: Array<{ message?: unknown; field?: unknown }> };
  };
}

/** axios errors that mean the request timed out, rather than failed on the wire. */
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

function headerReader(headers: unknown): (name: string) => string | undefined {
  return (name) => {
    if (!headers || typeof headers !== 'object') return undefined;
    const record = headers as Record<string, unknown>;
    const value = record[name] ?? record[name.toLowerCase()];
    const first = Array.isArray(value) ? (value[0] as unknown) : value;
    return typeof first === 'string' || typeof first === 'number' ? String(first) : undefined;
  };
}

function errorMessages(failure: SendGridFailure): string {
  return (failure.response?.body?.errors ?? [])
    .map((e) =>
      typeof e.field === 'string' && e.field ? `${e.field}: ${String(e.message)}` : String(e.message),
    )
    .join('; ');
}

/**
 * @sendgrid/mail's errors carry the request, Authorization header included. This builds a clean
 * ProviderError from the status, SendGrid's own messages and the retry delay (Retry-After, else
 * X-RateLimit-Reset), and never keeps the original object: no `cause`, no copied properties.
 */
export function sendgridError(error: unknown, secrets: string[] = [], nowMs = Date.now()): ProviderError {
  const failure = (error ?? {}) as SendGridFailure;
  if (typeof failure.code === 'number') {
    const status = failure.code;
    const messages = redactSecrets(errorMessages(failure), secrets);
    // 401/403 refuse our account (a rotated key, a sender not verified yet), not the message:
    // an operator mends it, and the email waits for that instead of being lost.
    const accountRefused = status === 401 || status === 403;
    return new ProviderError({
      provider: 'sendgrid',
      kind: transientByStatus(status) || accountRefused ? 'transient' : 'rejected',
      status,
      code: accountRefused ? 'account-refused' : undefined,
      message: `POST /v3/mail/send answered ${status}${messages ? `: ${messages}` : ''}`,
      retryAfterMs: retryDelayFromHeaders(headerReader(failure.response?.headers), nowMs),
    });
  }
  if (failure.isAxiosError === true || typeof failure.code === 'string') {
    const code = typeof failure.code === 'string' ? failure.code : 'network';
    return new ProviderError({
      provider: 'sendgrid',
      kind: 'transient',
      code: TIMEOUT_CODES.has(code) ? 'timeout' : code,
      message: `POST /v3/mail/send failed: ${TIMEOUT_CODES.has(code) ? 'timed out' : `network error (${code})`}`,
    });
  }
  // @sendgrid/helpers refused the message before sending (a missing field): no retry will mend it.
  const reason =
    typeof failure.message === 'string' ? redactSecrets(failure.message, secrets) : 'unknown error';
  return new ProviderError({ provider: 'sendgrid', kind: 'rejected', message: `mail not sent: ${reason}` });
}
