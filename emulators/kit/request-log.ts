export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
  durationMs: number;
  user?: string;
  room?: string;
  fault?: string;
}

const MAX_BODY_CHARS = 8192;

/** The last N requests (a ring buffer, so memory stays bounded) plus counters that never drop. */
export class RequestLog {
  private entries: RecordedRequest[] = [];
  private start = 0;
  total = 0;
  readonly byRoute: Record<string, number> = {};
  readonly byStatus: Record<string, number> = {};

  constructor(readonly capacity = 1000) {}

  record(entry: RecordedRequest, routeKey: string): void {
    const trimmed = {
      ...entry,
      body: entry.body.length > MAX_BODY_CHARS ? `${entry.body.slice(0, MAX_BODY_CHARS)}…` : entry.body,
    };
    if (this.entries.length < this.capacity) this.entries.push(trimmed);
    else {
      this.entries[this.start] = trimmed;
      this.start = (this.start + 1) % this.capacity;
    }
    this.total++;
    this.byRoute[routeKey] = (this.byRoute[routeKey] ?? 0) + 1;
    this.byStatus[entry.status] = (this.byStatus[entry.status] ?? 0) + 1;
  }

  /** Oldest first. */
  all(): RecordedRequest[] {
    return [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
  }

  find(filter: { method?: string; path?: string | RegExp } = {}): RecordedRequest[] {
    return this.all().filter(
      (r) =>
        (!filter.method || r.method === filter.method.toUpperCase()) &&
        (!filter.path ||
          (typeof filter.path === 'string' ? r.path === filter.path : filter.path.test(r.path))),
    );
  }

  count(filter: { method?: string; path?: string | RegExp } = {}): number {
    return this.find(filter).length;
  }

  stats(): { total: number; byRoute: Record<string, number>; byStatus: Record<string, number> } {
    return { total: this.total, byRoute: { ...this.byRoute }, byStatus: { ...this.byStatus } };
  }

  clear(): void {
    this.entries = [];
    this.start = 0;
  }
}
