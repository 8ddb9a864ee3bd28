/** Which Zoom user consents on /oauth/authorize, and whether they approve. */

export type ConsentDecision = 'approve' | 'deny';

export interface ConsentRule {
  decision: ConsentDecision;
  /** The consenting user; the standing default user when omitted. */
  userId?: string;
  /** 'next' applies to one consent (queued in order); 'every' becomes the standing rule. */
  for?: 'next' | 'every';
}

export interface ConsentOutcome {
  decision: ConsentDecision;
  userId: string;
}

export interface ConsentState {
  standing: ConsentOutcome;
  queue: ConsentOutcome[];
}

/** Queued one-shot decisions win over the standing rule, so a test can script a sequence. */
export class ConsentPolicy {
  private standing: ConsentOutcome;
  private queue: ConsentOutcome[] = [];

  constructor(defaultUserId: string) {
    this.standing = { decision: 'approve', userId: defaultUserId };
  }

  set(rule: ConsentRule): void {
    const outcome = { decision: rule.decision, userId: rule.userId ?? this.standing.userId };
    if ((rule.for ?? 'next') === 'next') this.queue.push(outcome);
    else {
      this.standing = outcome;
      this.queue = [];
    }
  }

  /** The decision for the consent happening now; consumes a queued one. */
  next(): ConsentOutcome {
    return this.queue.shift() ?? this.standing;
  }

  /** The decision the next consent would get, without consuming it (for the consent page). */
  peek(): ConsentOutcome {
    return this.queue[0] ?? this.standing;
  }

  snapshot(): ConsentState {
    return { standing: { ...this.standing }, queue: this.queue.map((o) => ({ ...o })) };
  }

  restore(state: ConsentState): void {
    this.standing = state.standing;
    this.queue = state.queue;
  }
}
