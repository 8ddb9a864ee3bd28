import { ProviderError, type ProviderErrorKind, type ProviderName } from './provider-error';

/** Retry-After as seconds, an ISO date (Zoom's daily limit) or an HTTP date, in ms from now (≥ 0). */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export interface ProviderResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface ProviderRequest {
  provider: ProviderName;
  method: string;
  url: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  timeoutMs: number;
}

/** Classifies a non-2xx answer; the provider decides what its own codes mean. */
export type Classifier = (response: ProviderResponse) => {
  kind: ProviderErrorKind;
  code?: string | number;
  message: string;
};

/** Transient by status alone: 429 and 5xx. Providers call this first. */
export function transientByStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One HTTP call with a timeout; network errors and timeouts become transient ProviderErrors. */
export async function providerFetch(
  request: ProviderRequest,
  classify: Classifier,
): Promise<ProviderResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let body: string | undefined;
  if (request.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  }
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers,
      body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new ProviderError({
      provider: request.provider,
      kind: 'transient',
      message: `${request.method} ${new URL(request.url).pathname} ${timedOut ? `timed out after ${request.timeoutMs} ms` : 'failed: network error'}`,
    });
  }
  const result: ProviderResponse = {
    status: response.status,
    headers: response.headers,
    body: await readBody(response).catch(() => undefined),
  };
  if (response.ok) return result;
  const verdict = classify(result);
  throw new ProviderError({
    provider: request.provider,
    kind: transientByStatus(result.status) ? 'transient' : verdict.kind,
    status: result.status,
    code: verdict.code,
    message: `${request.method} ${new URL(request.url).pathname} answered ${result.status}: ${verdict.message}`,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  });
}

export function basicAuth(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
