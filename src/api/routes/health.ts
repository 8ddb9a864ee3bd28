import Router from '@koa/router';
import { z } from 'zod';
import type { Logger } from '../../logger';
import { defineRoute, mount, type ApiArea } from '../route';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const healthz = defineRoute({
  method: 'get',
  path: '/healthz',
  summary: 'Liveness: the process answers',
  tag: 'health',
  responses: { 200: { description: 'alive', schema: z.object({ status: z.literal('ok') }) } },
});

const readyz = defineRoute({
  method: 'get',
  path: '/readyz',
  summary: 'Readiness: PostgreSQL and Temporal answer',
  tag: 'health',
  responses: {
    200: {
      description: 'ready',
      schema: z.object({ status: z.literal('ready'), checks: z.record(z.string(), z.literal('ok')) }),
    },
    503: {
      description: 'a dependency is down: which one (its details are logged, never answered)',
      schema: z.object({
        status: z.literal('unavailable'),
        checks: z.record(z.string(), z.enum(['ok', 'down'])),
      }),
    },
  },
});

const CHECK_TIMEOUT_MS = 2000;

/** 'ok' or 'down': the reason goes to the log, as it may name hosts, users or versions. */
async function runCheck(check: ReadinessCheck, logger: Logger): Promise<'ok' | 'down'> {
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref(),
      ),
    ]);
    return 'ok';
  } catch (error) {
    logger.warn({ check: check.name, err: error }, 'readiness check failed');
    return 'down';
  }
}

export function createHealthArea(checks: ReadinessCheck[], logger: Logger): ApiArea {
  const router = new Router();
  mount(router, healthz, async (ctx) => {
    ctx.body = { status: 'ok' };
  });
  mount(router, readyz, async (ctx) => {
    const results = await Promise.all(checks.map(async (c) => [c.name, await runCheck(c, logger)] as const));
    const ready = results.every(([, result]) => result === 'ok');
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) };
  });
  return { router, routes: [healthz, readyz] };
}
