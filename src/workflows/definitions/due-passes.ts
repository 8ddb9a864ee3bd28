/** The input of a pass over an outbox's due rows (dropped grants, platform events). */
export interface DuePassInput {
  /** Rows claimed (and processed at once) per round. */
  batchSize?: number;
  /** Rounds per run; the next run (the schedule's, or a wake-up) takes the rest. */
  maxRounds?: number;
}

/** How many rows ended how, in one run ('retrying' ones were booked for later). */
export type DuePassResult = Record<string, number>;
