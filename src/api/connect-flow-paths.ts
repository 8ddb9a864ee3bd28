/**
 * Every route of the Zoom connect flow lives under this prefix: the no-store header and the rate
 * limits apply to the prefix, so that a route added there is covered without being listed.
 */
export const CONNECT_FLOW_PREFIX = '/integrations/zoom';

/** Case-insensitive, as the router matches: `/Integrations/Zoom/connect` reaches the same route. */
export function isUnderConnectFlow(path: string): boolean {
  const head = path.slice(0, CONNECT_FLOW_PREFIX.length + 1).toLowerCase();
  return head === CONNECT_FLOW_PREFIX || head === `${CONNECT_FLOW_PREFIX}/`;
}
