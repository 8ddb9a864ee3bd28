import { createHash } from 'node:crypto';
import { RateLimiterPostgres, RateLimiterRes, RLWrapperTimeouts } from 'rate-limiter-flexible';
import type { Db } from '../../db/knex';
import type { Logger } from '../../logger';

/** The table of migration 010, shared by every limiter (each under its own key prefix). */
export const RATE_LIMIT_TABLE = 'rate_limits';

export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts a client's requests against one limit: allowed, or refused until Retry-After. */
export interface Limiter {
  consume(key: string): Promise<Verdict>;
}

export interface LimiterOptions {
  /** The counters' prefix, unique per limit (it is part of every key in the shared table). */
  name: string;
  perMinute: number;
}

export interface LimiterStore {
  db: Db;
  /** A count not made within this lets the request through. */
  timeoutMs: number;
  /** Told when the store failed or was slow, so that it can be logged (see storeFailureLog). */
  onStoreFailure(error: unknown): void;
}

/** The table's keys are 255 characters at most: a longer key (a long link) is counted by its digest. */
const MAX_KEY = 160;
const storedKey = (key: string): string =>
  key.length <= MAX_KEY ? key : createHash('sha256').update(key).digest('base64url');

/**
 * A limit counted in PostgreSQL, so that every API process shares it; fails open. A key that went
 * over is also refused from this process's memory until its minute ends, so that a client
 * hammering the API costs PostgreSQL nothing more.
 */
export function createLimiter(store: LimiterStore, { name, perMinute }: LimiterOptions): Limiter {
  const counted = new RateLimiterPostgres({
    storeClient: store.db,
    storeType: 'knex',
    tableName: RATE_LIMIT_TABLE,
    tableCreated: true,
    keyPrefix: name,
    points: perMinute,
    duration: 60,
    inMemoryBlockOnConsumed: perMinute + 1,
  });
  const bounded = new RLWrapperTimeouts({ limiter: counted, timeoutMs: store.timeoutMs });
  return {
    consume: async (key) => {
      try {
        await bounded.consume(storedKey(key));
        return { allowed: true };
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes)
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)) };
        store.onStoreFailure(outcome);
        return { allowed: true };
      }
    },
  };
}

const WARN_EVERY_MS = 60_000;

/** A warning when the store fails, at most once a minute however many requests meet it. */
export function storeFailureLog(logger: Logger, now: () => number = Date.now): (error: unknown) => void {
  let lastWarnedAt = -Infinity;
  let missed = 0;
  return (error) => {
    missed += 1;
    if (now() - lastWarnedAt < WARN_EVERY_MS) return;
    lastWarnedAt = now();
    logger.warn(
      { err: error, requestsLetThrough: missed },
      'rate limits: PostgreSQL did not count in time; requests are let through unlimited',
    );
    missed = 0;
  };
}
