import { z } from 'zod';
import { envField } from '../config/parse-env';

/**
 * The API's HTTP server: how long a client may take to send its request, and how many connections
 * it may hold. Node's own request timeout (300 s) let a body trickled at one byte every 10 s keep
 * its connection for five minutes.
 */
export const apiServerEnv = z.object({
  /** The whole request, headers and body, must arrive within this. */
  API_REQUEST_TIMEOUT_MS: envField.positiveInt().default(30_000),
  /** The headers must arrive within this (capped at API_REQUEST_TIMEOUT_MS). */
  API_HEADERS_TIMEOUT_MS: envField.positiveInt().default(10_000),
  /** Connections beyond this are closed as they come. */
  API_MAX_CONNECTIONS: envField.positiveInt().default(4096),
  /**
   * How many proxies in front of the API append to X-Forwarded-For: the client address is the
   * entry that many from the right. 0: the header is ignored, the socket's address is the client.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
});
export type ApiServerEnv = z.infer<typeof apiServerEnv>;
