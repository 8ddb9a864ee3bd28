import type Koa from 'koa';

/**
 * An answer given before the request's body came in full (a 401 before reading it, a 413) closes
 * the connection: otherwise Node would read the rest of the body, however large, to reuse the
 * connection. Set after the answer is decided, before it is sent.
 */
export const closeUnreadBodies: Koa.Middleware = async (ctx, next) => {
  try {
    await next();
  } finally {
    if (!ctx.req.complete && !ctx.headerSent) ctx.set('connection', 'close');
  }
};
