import type { CancelResult, RescheduleResult } from '../lessons/types';

/** A command a request id was used for: its body, its reschedule's number, and its answer once asked. */
export interface RememberedRequest {
  body: string;
  seq: number;
  answer?: Promise<RescheduleResult> | Promise<CancelResult>;
}

/**
 * Enough for any lesson: each id stands for one change asked of it. Past this the oldest is
 * forgotten; repeating it then changes nothing either (the same times again, or a cancel again),
 * unless newer times were asked for since. The lesson workflow does not continue-as-new, so the
 * memory lives as long as the lesson.
 */
const MAX_REMEMBERED = 500;

/** The request ids a lesson applied: the same id with the same body is applied once. */
export class RequestMemory {
  private readonly requests = new Map<string, RememberedRequest>();

  /** `repeat`: the same id with the same body; `conflict`: the same id with another body. */
  check(requestId: string | null | undefined, body: string): 'new' | 'repeat' | 'conflict' {
    const known = requestId ? this.requests.get(requestId) : undefined;
    if (!known) return 'new';
    return known.body === body ? 'repeat' : 'conflict';
  }

  get(requestId: string | null | undefined): RememberedRequest | undefined {
    return requestId ? this.requests.get(requestId) : undefined;
  }

  remember(requestId: string | null | undefined, body: string, seq: number): RememberedRequest | undefined {
    if (!requestId) return undefined;
    const request = { body, seq };
    this.requests.set(requestId, request);
    if (this.requests.size > MAX_REMEMBERED) this.requests.delete(this.requests.keys().next().value!);
    return request;
  }
}
