import type { z } from 'zod';
import { sendOverPool, type HeaderReader, type WireAnswer } from './http-transport';
import { ProviderError, type ProviderErrorKind, type ProviderName } from './provider-error';

const IMF_FIXDATE = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC850_DATE = /^[A-Za-z]+, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Retry-After in milliseconds from `nowMs`, clamped at ≥ 0: delay-seconds (Zoom's per-second limit),
 * an ISO date such as `2020-05-31T00:00:00Z` (Zoom's daily limit; no zone means UTC) or an HTTP date.
 * Anything else is undefined: Date.parse alone would read "-1" as the year 2001.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  let at = Number.NaN;
  if (ISO_DATE_TIME.test(trimmed))
    at = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(trimmed) ? trimmed : `${trimmed}Z`);
  else if (IMF_FIXDATE.test(trimmed) || RFC850_DATE.test(trimmed)) at = Date.parse(trimmed);
  else if (ASCTIME_DATE.test(trimmed)) at = Date.parse(`${trimmed} GMT`);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** SendGrid's `X-RateLimit-Reset`: the epoch second at which the limit lifts, as a delay (≥ 0). */
export function parseRateLimitReset(
  value: string | null | undefined,
  nowMs = Date.now(),
): number | undefined {
  const trimmed = value?.trim();
  if (!trimmed || !/^\d+$/.test(trimmed)) return undefined;
  return Math.max(0, Number(trimmed) * 1000 - nowMs);
}

/**
 * The longest wait a provider may ask for: Zoom's daily limit lifts within a day. A bogus value
 * (a year away) would otherwise park a retry, and the email or meeting behind it, for good.
 */
export const MAX_RETRY_DELAY_MS = 24 * 3600_000;

/** The delay a provider asked for: `Retry-After` first, else `X-RateLimit-Reset`, at most a day. */
export function retryDelayFromHeaders(
  header: (name: string) => string | null | undefined,
  nowMs = Date.now(),
): number | undefined {
  const delay =
    parseRetryAfter(header('retry-after'), nowMs) ?? parseRateLimitReset(header('x-ratelimit-reset'), nowMs);
  return delay === undefined ? undefined : Math.min(delay, MAX_RETRY_DELAY_MS);
}

/** Transient by status alone: 429 and 5xx, whatever the body says. */
export function transientByStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

const MAX_MESSAGE = 300;

/** Replaces every secret we sent with [redacted], in case a provider echoes one back; bounds the length. */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let clean = text;
  for (const secret of secrets) if (secret.length >= 4) clean = clean.split(secret).join('[redacted]');
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE)}…` : clean;
}

export interface ProviderRequest {
  provider: ProviderName;
  method: string;
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  /** JSON already serialized: sent byte for byte (a signature covers it). */
  rawJson?: string;
  form?: Record<string, string>;
  timeoutMs: number;
}

export interface ProviderResponse {
  status: number;
  headers: HeaderReader;
  body: unknown;
  provider: ProviderName;
  /** "METHOD /path" without the query, for messages. */
  call: string;
}

/** What a provider's own error body means; the shared code handles status-only transients. */
export interface Verdict {
  kind: ProviderErrorKind;
  code?: string | number;
  message: string;
  dailyLimit?: boolean;
}
export type Classifier = (response: ProviderResponse) => Verdict;

/** Form fields whose values are credentials. */
const SECRET_FORM_FIELDS = [
  'code',
  'code_verifier',
  'refresh_token',
  'token',
  'client_secret',
  'access_token',
];

/** Every credential in a request: the Authorization value (and a Basic pair's parts) and secret form fields. */
function secretsOf(request: ProviderRequest): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (name.toLowerCase() !== 'authorization') continue;
    const credential = value.replace(/^\S+\s+/, '');
    found.push(value, credential);
    if (/^basic /i.test(value)) found.push(...Buffer.from(credential, 'base64').toString().split(':'));
  }
  for (const field of SECRET_FORM_FIELDS) {
    const value = request.form?.[field];
    if (value) found.push(value);
  }
  return found.sort((a, b) => b.length - a.length);
}

function networkError(request: ProviderRequest, call: string, error: unknown, phase: string): ProviderError {
  const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
  // undici's own errors carry the code; a wrapped one (as fetch did) carries it on its cause
  const failure = error as { code?: unknown; cause?: { code?: unknown } };
  const cause = failure.cause?.code ?? failure.code;
  const code = timedOut ? 'timeout' : typeof cause === 'string' ? cause : 'network';
  return new ProviderError({
    provider: request.provider,
    kind: 'transient',
    code,
    message: timedOut
      ? `${call} timed out after ${request.timeoutMs} ms ${phase}`
      : `${call} failed ${phase}: network error (${code})`,
  });
}

function parseText(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * One HTTP call with a timeout that covers the body too. Network errors, resets and timeouts become
 * transient ProviderErrors; a non-2xx answer is classified (429 and 5xx always transient).
 */
/** Zoom's id for each exchange: in every error's message (logs, Temporal's UI), for support tickets. */
const TRACKING_ID_HEADER = 'x-zm-trackingid';

export async function providerFetch(
  request: ProviderRequest,
  classify: Classifier,
): Promise<ProviderResponse> {
  const call = `${request.method} ${new URL(request.url).pathname}`;
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let body: string | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.rawJson !== undefined) {
    headers['content-type'] = 'application/json';
    body = request.rawJson;
  } else if (request.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  }
  let response: WireAnswer;
  let text: string;
  try {
    response = await sendOverPool({
      method: request.method,
      url: request.url,
      headers,
      body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    throw networkError(request, call, error, 'before an answer');
  }
  try {
    text = await response.text();
  } catch (error) {
    throw networkError(request, call, error, `while reading a ${response.status} answer`);
  }
  const result: ProviderResponse = {
    status: response.status,
    headers: response.headers,
    body: parseText(text),
    provider: request.provider,
    call,
  };
  if (response.status >= 200 && response.status < 300) return result;
  const verdict = classify(result);
  const requestId = response.headers.get(TRACKING_ID_HEADER) ?? undefined;
  const tracking = requestId ? ` (${TRACKING_ID_HEADER} ${requestId})` : '';
  throw new ProviderError({
    provider: request.provider,
    kind: transientByStatus(result.status) ? 'transient' : verdict.kind,
    status: result.status,
    code: verdict.code,
    dailyLimit: verdict.dailyLimit,
    message: `${call} answered ${result.status}: ${redactSecrets(verdict.message, secretsOf(request))}${tracking}`,
    retryAfterMs: retryDelayFromHeaders((name) => response.headers.get(name)),
    requestId,
  });
}

/** Reads a 2xx body with a zod schema; a mismatch is `invalid-response`, naming fields but no values. */
export function parseAnswer<S extends z.ZodType>(schema: S, response: ProviderResponse): z.infer<S> {
  const parsed = schema.safeParse(response.body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new ProviderError({
    provider: response.provider,
    kind: 'invalid-response',
    status: response.status,
    message: `${response.call} answered ${response.status} with an unexpected body: ${redactSecrets(problems, [])}`,
  });
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
