import { Agent, interceptors, request as undiciRequest } from 'undici';

/**
 * The wire under every provider call: one keep-alive connection pool per origin (undici's Agent),
 * shared by the process. `fetch` costs about twice the CPU per call (its WHATWG streams and
 * Response objects), which capped the token sweep near 1,000–2,000 calls a second on 2 cores.
 * Like `fetch`, it keeps idle connections for a few seconds (or as long as the server's
 * `Keep-Alive` says) and opens as many per origin as there are calls in flight: our callers bound
 * their own concurrency, so no call waits here for a free connection behind its timeout.
 */
const agent = new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000 }).compose(
  // as fetch did: follow up to 20 redirects (credentials are dropped when the origin changes)
  interceptors.redirect({ maxRedirections: 20 }),
);

export interface WireRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborts the whole exchange, connect to the last byte of the body. */
  signal: AbortSignal;
}

/** A response header by its lower-case name (several values joined with ", "), as `Headers.get`. */
export interface HeaderReader {
  get(name: string): string | null;
}

export interface WireAnswer {
  status: number;
  headers: HeaderReader;
  /** Reads the body; rejects like the exchange (a timeout or a reset while reading). */
  text(): Promise<string>;
}

/** undici's header object (lower-case names) read in place: a `Headers` per call costs more. */
function headerReader(raw: Record<string, string | string[] | undefined>): HeaderReader {
  return {
    get(name) {
      const value = raw[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * Sends one request and resolves on the status line and headers. Failures before an answer reject
 * with undici's error (its `code`, e.g. ECONNREFUSED or UND_ERR_SOCKET) or the signal's reason
 * (a `TimeoutError` from `AbortSignal.timeout`).
 */
export async function sendOverPool(request: WireRequest): Promise<WireAnswer> {
  const answer = await undiciRequest(request.url, {
    dispatcher: agent,
    method: request.method as 'GET',
    headers: request.headers,
    body: request.body,
    signal: request.signal,
  });
  return {
    status: answer.statusCode,
    headers: headerReader(answer.headers),
    text: () => answer.body.text(),
  };
}
