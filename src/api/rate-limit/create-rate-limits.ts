import type { Db } from '../../db/knex';
import type { Logger } from '../../logger';
import type { ApiServerEnv } from '../env';
import type { RateLimitEnv } from './env';
import { createLimiter, storeFailureLog } from './limiter';
import type { RateLimits } from './middleware';

/** The API's limits, built once per API from its settings; undefined when switched off. */
export function createRateLimits(
  env: RateLimitEnv & Pick<ApiServerEnv, 'TRUSTED_PROXY_HOPS'>,
  db: Db,
  logger: Logger,
): RateLimits | undefined {
  if (!env.RATE_LIMIT_ENABLED) return undefined;
  const store = { db, timeoutMs: env.RATE_LIMIT_STORE_TIMEOUT_MS, onStoreFailure: storeFailureLog(logger) };
  return {
    connectFlow: createLimiter(store, { name: 'connect', perMinute: env.RATE_LIMIT_CONNECT_PER_MINUTE }),
    joinLinkPerClient: createLimiter(store, {
      name: 'join-client',
      perMinute: env.RATE_LIMIT_JOIN_PER_CLIENT_PER_MINUTE,
    }),
    joinLinkPerLink: createLimiter(store, {
      name: 'join-link',
      perMinute: env.RATE_LIMIT_JOIN_PER_LINK_PER_MINUTE,
    }),
    webhookFailures: createLimiter(store, {
      name: 'webhook-failures',
      perMinute: env.RATE_LIMIT_WEBHOOK_FAILURES_PER_MINUTE,
    }),
    trustedProxyHops: env.TRUSTED_PROXY_HOPS,
  };
}
