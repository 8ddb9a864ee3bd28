import type { ApiArea, RouteSpec } from '../route';
import { isUnderConnectFlow } from '../connect-flow-paths';

/**
 * Which limit a route is under. Only the routes anyone can call without a credential are limited:
 * - `connectFlow`: everything under /integrations/zoom except the routes that take a platform JWT
 *   (security `platformJwt`), a path no route serves included; per client;
 * - `joinLink`: the signed join links, per link and per client;
 * - `unverifiedWebhook`: the webhooks, counting only deliveries refused for their signature (a
 *   verified delivery never reaches the limiter).
 */
export type LimitKind = 'connectFlow' | 'joinLink' | 'unverifiedWebhook';

export function limitKindOf(route: Pick<RouteSpec, 'path' | 'security'>): LimitKind | undefined {
  if (route.security === 'zoomSignature' || route.security === 'sendgridSignature')
    return 'unverifiedWebhook';
  if (route.security === 'signedLink') return 'joinLink';
  if (isUnderConnectFlow(route.path) && route.security !== 'platformJwt') return 'connectFlow';
  return undefined;
}

export interface LimitedRequest {
  kind: LimitKind;
  /** The route's path parameters (the join link's lesson id), as the router reads them. */
  params: Record<string, string>;
}

/** The limit of a request, found with the routers' own matching (case, trailing slash). */
export function requestLimit(areas: ApiArea[], path: string, method: string): LimitedRequest | undefined {
  for (const area of areas) {
    for (const layer of area.router.match(path, method).pathAndMethod) {
      const route = area.routes.find(
        (r) => r.path === layer.path && layer.methods.includes(r.method.toUpperCase()),
      );
      if (!route) continue;
      const kind = limitKindOf(route);
      return kind && { kind, params: layer.params(path, layer.captures(path)) };
    }
  }
  return isUnderConnectFlow(path) ? { kind: 'connectFlow', params: {} } : undefined;
}
