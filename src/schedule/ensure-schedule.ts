import { createHash } from 'node:crypto';
import {
  ScheduleAlreadyRunning,
  type Client,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleOverlapPolicy,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

export interface ScheduleDefinition {
  scheduleId: string;
  spec: ScheduleSpec;
  workflow: Omit<ScheduleOptionsStartWorkflowAction<Workflow>, 'type' | 'memo'>;
  policies: { overlap: ScheduleOverlapPolicy; catchupWindow: string };
  /** Set when the schedule is created only: an operator's pause must stand. */
  initialState: { paused: boolean; note: string };
}

/** The memo key of the configuration's digest, on the schedule's action. */
const CONFIG_MEMO = 'scheduleConfig';

/**
 * Creates the schedule once with its paused state; later calls update the spec and the action but
 * keep an operator's pause. Every worker calls this at start. Temporal's update rewrites the whole
 * schedule, state included, from a read made just before, so an update racing with an operator's
 * pause would undo it: the configuration's digest rides in the action's memo, and an unchanged
 * configuration writes nothing.
 */
export async function ensureSchedule(
  client: Client,
  { scheduleId, spec, workflow, policies, initialState }: ScheduleDefinition,
): Promise<'created' | 'updated' | 'unchanged'> {
  const digest = createHash('sha256')
    .update(JSON.stringify({ spec, workflow, policies }))
    .digest('hex')
    .slice(0, 16);
  const action = { type: 'startWorkflow' as const, ...workflow, memo: { [CONFIG_MEMO]: digest } };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies, state: initialState });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    const handle = client.schedule.getHandle(scheduleId);
    const current = await handle.describe();
    if (current.action.type === 'startWorkflow' && current.action.memo?.[CONFIG_MEMO] === digest)
      return 'unchanged';
    await handle.update((previous) => ({ ...previous, spec, action, policies }));
    return 'updated';
  }
}
