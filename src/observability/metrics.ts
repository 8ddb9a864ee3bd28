import type Koa from 'koa';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One registry per process: Node's own metrics, plus what each part of the service adds. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * API request metrics, labelled by the route's template (`/lessons/:lessonId`), never by the raw
 * path: ids in labels would make a new series for every lesson.
 */
export function apiRequestMetrics(registry: Registry): Koa.Middleware {
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'API requests answered, by method, route and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'API request duration, by method and route',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const record = (ctx: Koa.Context, started: bigint): void => {
    const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
    requests.inc({ method: ctx.method, route, status: String(ctx.status) });
    duration.observe({ method: ctx.method, route }, Number(process.hrtime.bigint() - started) / 1e9);
  };
  // `then` rather than an async function: one promise per request instead of two (each one costly
  // once async hooks are on), and no named closure per request (tsx names each at creation).
  return (ctx, next) => {
    const started = process.hrtime.bigint();
    return next().then(
      () => record(ctx, started),
      (error: unknown) => {
        record(ctx, started);
        throw error;
      },
    );
  };
}
