import type { DrillInfra } from './infra';

/** How big each drill is: `--quick` makes everything small. */
export interface DrillOptions {
  quick: boolean;
  /** Lessons per booking burst. */
  lessons: number;
  /** Tokens per sweep. */
  tokens: number;
  /** How long a drill may take to converge after its disruption, before it counts as failed. */
  deadlineMs: number;
}

export interface DrillContext {
  options: DrillOptions;
  infra: DrillInfra;
  log(line: string): void;
}

/** What a drill needs from the infrastructure beyond a database and a Temporal server. */
export type DrillNeed = 'restart-postgres' | 'restart-temporal';

export interface Drill {
  /** Short id, for `--only`. */
  name: string;
  /** The row's label in the report. */
  title: string;
  needs?: DrillNeed[];
  run(ctx: DrillContext): Promise<DrillResult>;
}

/** Every booked lesson: one `meetings` row and one live provider meeting. */
export interface MeetingsCheck {
  lessons: number;
  ok: number;
  /** Provider meetings that belong to no booked lesson. */
  orphans: number;
  problems: string[];
}

/** Every expected email sent exactly once (per lesson or token, event, recipient). */
export interface EmailsCheck {
  expected: number;
  duplicates: number;
  missing: number;
  /** SendGrid answers lost after the send was applied (injected hang/reset 'after'). */
  lostAnswers: number;
  /** Repeated emails whose copies were sent before and after the disruption (a crash after the send). */
  acrossDisruption: number;
  /** Ledger rows confirmed by SendGrid's events, not its answer: repeats that did not happen. */
  confirmedByEvent: number;
  problems: string[];
}

/** No token lost or double-counted. */
export interface TokensCheck {
  tokens: number;
  lost: number;
  doubleCounted: number;
  /** Present when it should be gone, counted too little, and the like. */
  wrong: number;
  problems: string[];
}

export interface DrillResult {
  drill: string;
  title: string;
  /** "200 lessons", "400 tokens", … */
  subjects: string;
  durationMs: number;
  converged: boolean;
  meetings?: MeetingsCheck;
  emails?: EmailsCheck;
  tokens?: TokensCheck;
  passed: boolean;
  notes: string[];
}

/** A drill passes when it converged and every invariant it checked holds. */
export function verdict(result: Omit<DrillResult, 'passed'>): DrillResult {
  const { meetings, emails, tokens } = result;
  const passed =
    result.converged &&
    (!meetings || (meetings.ok === meetings.lessons && meetings.orphans === 0)) &&
    (!emails || (emails.duplicates === 0 && emails.missing === 0)) &&
    (!tokens || (tokens.lost === 0 && tokens.doubleCounted === 0 && tokens.wrong === 0));
  return { ...result, passed };
}
