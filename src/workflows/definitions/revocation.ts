import type { DuePassInput, DuePassResult } from './due-passes';

/** Shared by the revocation workflow, its schedule and the ops CLI. */
export const GRANT_REVOCATIONS_WORKFLOW_TYPE = 'grantRevocationsWorkflow';

export type GrantRevocationsInput = DuePassInput;
export type GrantRevocationsResult = DuePassResult;
