import { createHash } from 'node:crypto';
import {
  ScheduleAlreadyRunning,
  type Client,
  type ScheduleDescription,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleOverlapPolicy,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import {
  reconcileSchedule,
  type ReconcileObserver,
  type ReconcileOutcome,
  type ScheduleFacts,
  type ServiceNotes,
} from './reconcile-schedule';

export interface ScheduleDefinition {
  scheduleId: string;
  spec: ScheduleSpec;
  workflow: Omit<ScheduleOptionsStartWorkflowAction<Workflow>, 'type' | 'memo'>;
  policies: { overlap: ScheduleOverlapPolicy; catchupWindow: string };
  /** Set when the schedule is created only: an operator's pause must stand. */
  initialState: { paused: boolean; note: string };
  /** A production start lifts the pause a non-production start set (known by its note). */
  liftServicePause?: { production: boolean; notes: ServiceNotes };
}

export type EnsureOutcome = 'created' | ReconcileOutcome;

/** The memo key of the configuration's digest, on the schedule's action. */
const CONFIG_MEMO = 'scheduleConfig';

/** A schedule the service never pauses: only its configuration is ever written. */
const NEVER_LIFTED = { production: false, notes: { paused: '', unpaused: '' } };

/**
 * Creates the schedule once with its paused state; later calls bring the spec and the action up to
 * date (the configuration's digest rides in the action's memo, so an unchanged one writes nothing),
 * and never undo an operator's pause: every write carries the conflict token of its read
 * (reconcile-schedule.ts). Every worker calls this at start.
 */
export async function ensureSchedule(
  client: Client,
  definition: ScheduleDefinition,
  observer?: ReconcileObserver,
): Promise<EnsureOutcome> {
  const { scheduleId, spec, workflow, policies, initialState } = definition;
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
    const { production, notes } = definition.liftServicePause ?? NEVER_LIFTED;
    const desired = { spec, action, policies, digest, production };
    return reconcileSchedule(client, scheduleId, desired, scheduleFacts, notes, observer);
  }
}

const scheduleFacts = (description: ScheduleDescription): ScheduleFacts => ({
  digest:
    description.action.type === 'startWorkflow'
      ? (description.action.memo?.[CONFIG_MEMO] as string | undefined)
      : undefined,
  paused: description.state.paused,
  note: description.state.note,
});
