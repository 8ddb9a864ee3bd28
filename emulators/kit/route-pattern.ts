/** Matches `/v2/meetings/:meetingId`-style patterns; `*` matches one segment, a trailing `**` the rest. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const part = want[i] as string;
    if (part === '**') return params;
    const value = got[i];
    if (value === undefined) return undefined;
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== '*' && part !== value) return undefined;
  }
  return got.length === want.length ? params : undefined;
}

/** "METHOD /path" with `*` for any method; a bare path means any method. */
export function matchRoute(route: string, method: string, path: string): boolean {
  const [first, second] = route.trim().split(/\s+/);
  const [routeMethod, routePath] = second === undefined ? ['*', first ?? '/'] : [first ?? '*', second];
  return (
    (routeMethod === '*' || routeMethod.toUpperCase() === method.toUpperCase()) &&
    matchPath(routePath, path) !== undefined
  );
}
