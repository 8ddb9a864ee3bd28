import { z } from 'zod';
import { envField } from '../../config/parse-env';

/**
 * The limits of the unauthenticated routes, per minute, counted in PostgreSQL so that every API
 * process shares them (docs/operations.md, "Rate limits").
 */
export const rateLimitEnv = z.object({
  /** Off only for benchmarks: the limits protect the routes anyone can call. */
  RATE_LIMIT_ENABLED: envField.boolean().default(true),
  /** Each client, on the connect flow's routes that take no platform JWT (connect, callback, …). */
  RATE_LIMIT_CONNECT_PER_MINUTE: envField.positiveInt().default(30),
  /** Each client, on the join links (a school or an office may share one address). */
  RATE_LIMIT_JOIN_PER_CLIENT_PER_MINUTE: envField.positiveInt().default(120),
  /** Each join link (lesson, role and signature), whoever clicks it. */
  RATE_LIMIT_JOIN_PER_LINK_PER_MINUTE: envField.positiveInt().default(30),
  /** Each client, on the webhooks, counting only deliveries whose signature is missing or wrong. */
  RATE_LIMIT_WEBHOOK_FAILURES_PER_MINUTE: envField.positiveInt().default(30),
  /** A counter PostgreSQL has not answered within this lets the request through (fail open). */
  RATE_LIMIT_STORE_TIMEOUT_MS: envField.positiveInt().default(200),
});
export type RateLimitEnv = z.infer<typeof rateLimitEnv>;
