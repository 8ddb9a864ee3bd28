/** Shared by the revocation workflow, its schedule and the ops CLI. */
export const GRANT_REVOCATIONS_WORKFLOW_TYPE = 'grantRevocationsWorkflow';

export interface GrantRevocationsInput {
  /** Revocations claimed (and processed at once) per round. */
  batchSize?: number;
  /** Rounds per run; the next run (the schedule's, or a drop's wake-up) takes the rest. */
  maxRounds?: number;
}

/** How many revocations ended how, in one run ('retrying' ones were booked for later). */
export type GrantRevocationsResult = Record<string, number>;
