import type { ZoomSettings } from './options';
import { restError, type ZoomReply } from './replies';
import { formatZoomTime } from './zoned-time';

/** Zoom's two limits: per host per day on meeting create/update, and per user per second on everything. */

interface DailyWindow {
  count: number;
  endsAtMs: number;
  shortened: boolean;
}

export type DailyWindows = Array<[string, DailyWindow]>;

const DAY_MS = 86_400_000;

export class DailyMeetingLimiter {
  private windows = new Map<string, DailyWindow>();

  constructor(
    private readonly nowMs: () => number,
    private readonly settings: () => ZoomSettings,
  ) {}

  /** Counts one create/update for the host, or answers Zoom's daily-limit 429. */
  take(hostId: string): ZoomReply | undefined {
    const now = this.nowMs();
    const { dailyMeetingLimit: limit, dailyLimitRetryAfter } = this.settings();
    let window = this.windows.get(hostId);
    if (!window || now >= window.endsAtMs) {
      window = { count: 0, endsAtMs: Math.floor(now / DAY_MS) * DAY_MS + DAY_MS, shortened: false };
      this.windows.set(hostId, window);
    }
    if (window.count < limit) {
      window.count++;
      return undefined;
    }
    if (dailyLimitRetryAfter !== 'midnight' && !window.shortened) {
      // Tests can't wait for midnight: the limit really lifts at the advertised moment.
      const soon = Math.ceil((now + dailyLimitRetryAfter.secondsAhead * 1000) / 1000) * 1000;
      window.endsAtMs = Math.min(window.endsAtMs, soon);
      window.shortened = true;
    }
    return restError(
      429,
      429,
      `You have exceeded the daily rate limit (${limit}) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.`,
      {
        'Retry-After': formatZoomTime(window.endsAtMs),
        'X-RateLimit-Category': 'Medium',
        'X-RateLimit-Type': 'Daily-limit',
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': '0',
      },
    );
  }

  used(hostId: string): number {
    const window = this.windows.get(hostId);
    return window && this.nowMs() < window.endsAtMs ? window.count : 0;
  }

  snapshot(): DailyWindows {
    return [...this.windows];
  }

  restore(windows: DailyWindows): void {
    this.windows = new Map(windows);
  }
}

export class PerSecondLimiter {
  private readonly windows = new Map<string, { startMs: number; count: number }>();

  constructor(
    private readonly nowMs: () => number,
    private readonly settings: () => ZoomSettings,
  ) {}

  /** Counts one request for the user, or answers the per-second 429 with `Retry-After` in seconds. */
  take(userId: string, category: string): ZoomReply | undefined {
    const limit = this.settings().perSecondLimit;
    if (limit === undefined) return undefined;
    const now = this.nowMs();
    let window = this.windows.get(userId);
    if (!window || now >= window.startMs + 1000) {
      window = { startMs: now, count: 0 };
      this.windows.set(userId, window);
    }
    if (window.count < limit) {
      window.count++;
      return undefined;
    }
    const retryAfter = Math.max(1, Math.ceil((window.startMs + 1000 - now) / 1000));
    return restError(
      429,
      429,
      'You have reached the maximum per-second rate limit for this API. Try again later.',
      {
        'Retry-After': String(retryAfter),
        'X-RateLimit-Category': category,
        'X-RateLimit-Type': 'QPS',
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': '0',
      },
    );
  }
}
