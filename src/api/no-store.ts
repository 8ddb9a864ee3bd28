import type Koa from 'koa';
import { isUnderConnectFlow } from './connect-flow-paths';

/**
 * No answer of the connect flow may be kept by a browser or a proxy: they set and clear the flow's
 * cookie and redirect with one-time codes. Set before the route runs, so errors carry it too.
 */
export const noStoreOnConnectFlow: Koa.Middleware = (ctx, next) => {
  if (isUnderConnectFlow(ctx.path)) ctx.set('cache-control', 'no-store');
  return next();
};
