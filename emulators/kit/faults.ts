import { matchRoute } from './route-pattern';

/**
 * A rule that makes the emulator misbehave like the real service on a bad day. Rules are checked
 * in the order they were added; the first that matches (and whose firstN/fraction allows it) wins.
 */
export interface FaultRule {
  id?: string;
  /** "METHOD /path" with :params, `*` for any method or one segment, e.g. "POST /v2/users/me/meetings". */
  route?: string;
  user?: string;
  room?: string;
  status?: number;
  /** Default: the provider's own error body for that status. */
  body?: unknown;
  latencyMs?: number | { min: number; max: number };
  retryAfter?: { seconds: number } | { isoDate: string } | { isoDateInSeconds: number };
  /** Never answer, so the client times out; 'after' applies the call first. */
  hang?: 'before' | 'after';
  /** Destroy the socket; 'after' applies the call first. */
  reset?: 'before' | 'after';
  firstN?: number;
  fraction?: number;
}

export interface FaultMatchContext {
  method: string;
  path: string;
  user?: string;
  room?: string;
}

/** mulberry32: a small seeded generator, so `fraction` faults repeat run after run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private rules: Array<{ rule: FaultRule & { id: string }; matched: number }> = [];
  private nextId = 1;
  readonly random: () => number;

  constructor(seed = 42) {
    this.random = seededRandom(seed);
  }

  add(rule: FaultRule): string {
    const id = rule.id ?? `fault-${this.nextId++}`;
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    this.rules.push({ rule: { ...rule, id }, matched: 0 });
    return id;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** How many requests rule `id` has applied to so far: a test waits for one to be under way. */
  matched(id: string): number {
    return this.rules.find((r) => r.rule.id === id)?.matched ?? 0;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r.rule }));
  }

  /** The rule to apply to this request, if any; counts it against firstN. */
  decide(ctx: FaultMatchContext): FaultRule | undefined {
    for (const entry of this.rules) {
      const { rule } = entry;
      if (rule.route && !matchRoute(rule.route, ctx.method, ctx.path)) continue;
      if (rule.user !== undefined && rule.user !== ctx.user) continue;
      if (rule.room !== undefined && rule.room !== ctx.room) continue;
      if (rule.firstN !== undefined && entry.matched >= rule.firstN) continue;
      if (rule.fraction !== undefined && this.random() >= rule.fraction) continue;
      entry.matched++;
      return rule;
    }
    return undefined;
  }

  latencyOf(rule: FaultRule): number {
    const latency = rule.latencyMs;
    if (latency === undefined) return 0;
    if (typeof latency === 'number') return latency;
    return latency.min + this.random() * (latency.max - latency.min);
  }
}

/** The Retry-After header value: seconds, or an ISO date without milliseconds as Zoom sends it. */
export function retryAfterValue(retryAfter: NonNullable<FaultRule['retryAfter']>, nowMs: number): string {
  if ('seconds' in retryAfter) return String(retryAfter.seconds);
  if ('isoDate' in retryAfter) return retryAfter.isoDate;
  return new Date(nowMs + retryAfter.isoDateInSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
