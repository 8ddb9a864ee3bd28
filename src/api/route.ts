import type Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import { invalidRequest } from './http-error';
import { readJsonBody } from './raw-body';

type AnyObject = z.ZodType<Record<string, unknown>>;

/**
 * One route: its method, path and zod schemas. The same spec validates requests and
 * generates the OpenAPI document (src/api/openapi.ts), so the two cannot drift apart.
 */
export interface RouteSpec<
  P extends AnyObject = AnyObject,
  Q extends AnyObject = AnyObject,
  B extends z.ZodType = z.ZodType,
> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string; // Koa style, e.g. /lessons/:id
  summary: string;
  tag: string;
  security?: 'bookingToken' | 'platformJwt' | 'zoomSignature' | 'sendgridSignature' | 'signedLink';
  params?: P;
  query?: Q;
  body?: B;
  /** The path carries a credential (a one-time id): logs show the route's template instead. */
  secretPath?: boolean;
  /** A body read raw by the handler (webhooks): documented, not parsed here. */
  rawBody?: z.ZodType;
  /** The raw body's media type in the OpenAPI document (default application/json). */
  rawBodyContentType?: string;
  /** The handler calls Temporal, so it may answer the 503 of src/api/app.ts: documented, not set here. */
  callsTemporal?: boolean;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
}

export interface RouteInput<S extends RouteSpec> {
  params: S['params'] extends z.ZodType ? z.infer<S['params']> : Record<string, string>;
  query: S['query'] extends z.ZodType ? z.infer<S['query']> : Record<string, unknown>;
  body: S['body'] extends z.ZodType ? z.infer<S['body']> : undefined;
}

export function defineRoute<S extends RouteSpec>(spec: S): S {
  return spec;
}

function parse<T>(where: string, schema: z.ZodType<T> | undefined, value: unknown): T {
  if (!schema) return value as T;
  const result = schema.safeParse(value);
  if (!result.success) throw invalidRequest(where, result.error);
  return result.data;
}

export interface MountOptions {
  /** Throws the 401 before any input is read, so a caller without credentials learns nothing from a 400. */
  authorize?: (ctx: Context) => void;
}

/** Mounts a handler on the router; it receives validated, typed input. */
export function mount<S extends RouteSpec>(
  router: Router,
  spec: S,
  handler: (ctx: Context, input: RouteInput<S>) => Promise<void>,
  { authorize }: MountOptions = {},
): void {
  const { body: bodySchema } = spec;
  // Not async when there is no JSON body to await: every extra promise costs once async hooks are on.
  router[spec.method](spec.path, (ctx) => {
    if (spec.secretPath) (ctx.state as { loggedPath?: string }).loggedPath = spec.path;
    authorize?.(ctx);
    const params = parse('params', spec.params, ctx.params);
    const query = parse('query', spec.query, { ...ctx.query });
    if (!bodySchema) return handler(ctx, { params, query, body: undefined } as RouteInput<S>);
    return readJsonBody(ctx).then((raw) =>
      handler(ctx, { params, query, body: parse('body', bodySchema, raw) } as RouteInput<S>),
    );
  });
}

/** What a router module exports: its Koa router and the specs it serves. */
export interface ApiArea {
  router: Router;
  routes: RouteSpec[];
}
