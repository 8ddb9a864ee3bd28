import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { RevocationEnv } from '../services/revocation/env';
import { GRANT_REVOCATIONS_WORKFLOW_TYPE } from '../workflows/definitions/revocation';
import { ensureSchedule, type EnsureOutcome } from './ensure-schedule';

type Settings = Pick<RevocationEnv, 'REVOCATION_SCHEDULE_ID' | 'REVOCATION_POLL_SECONDS'> & {
  TEMPORAL_TASK_QUEUE: string;
};

/**
 * Dropped grants are revoked by a pass every REVOCATION_POLL_SECONDS, in every environment (a
 * drop's grant must not live on at Zoom under `npm start` either). Runs never overlap, and a run
 * left without a worker (a stopped stack) times out instead of waiting for ever.
 */
export async function ensureRevocationSchedule(client: Client, env: Settings): Promise<EnsureOutcome> {
  return ensureSchedule(client, {
    scheduleId: env.REVOCATION_SCHEDULE_ID,
    spec: { intervals: [{ every: `${env.REVOCATION_POLL_SECONDS}s` }] },
    workflow: {
      workflowType: GRANT_REVOCATIONS_WORKFLOW_TYPE,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      args: [{}],
      workflowExecutionTimeout: '15 minutes',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    initialState: { paused: false, note: 'Revokes dropped Zoom grants.' },
  });
}

/** A pass now (after the one running, if any); the schedule's own passes make it optional. */
export async function triggerRevocations(client: Client, scheduleId: string): Promise<void> {
  await client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.BUFFER_ONE);
}
