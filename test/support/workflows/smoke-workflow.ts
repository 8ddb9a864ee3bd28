import { proxyActivities } from '@temporalio/workflow';

export interface SmokeActivities {
  recordVisit(name: string): Promise<number>;
}

const { recordVisit } = proxyActivities<SmokeActivities>({ startToCloseTimeout: '10 seconds' });

/** A trivial workflow for the foundation smoke test: one activity that writes and reads PostgreSQL. */
export async function smokeWorkflow(name: string): Promise<string> {
  const visits = await recordVisit(name);
  return `${name} visited ${visits} time(s)`;
}
