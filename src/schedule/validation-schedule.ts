import { createHash } from 'node:crypto';
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import type { ServiceEnv } from '../config/service-env';
import {
  reconcileSchedule,
  type DesiredSchedule,
  type ReconcileObserver,
  type ReconcileOutcome,
  type ScheduleFacts,
} from './reconcile-schedule';
import {
  TOKEN_SWEEP_WORKFLOW_TYPE,
  VALIDATION_SCHEDULE_ID,
  type SweepSettings,
} from '../workflows/definitions/validation';

export interface ScheduleOptions {
  taskQueue: string;
  production: boolean;
  settings: SweepSettings;
  /** VALIDATION_SCHEDULE_ID: one schedule per deployment. */
  scheduleId?: string;
}

/** The memo key of the configuration's digest, on the schedule's action. */
const CONFIG_MEMO = 'scheduleConfig';

/** The service's own notes on the paused state (stored in schedules: keep them as they are). */
export const PAUSED_NOTE =
  'Paused outside production (APP_ENV is not production): trigger it by hand, or run `npm run ops -- sweep`.';
export const ACTIVE_NOTE = 'Active in production.';
export const UNPAUSED_NOTE = 'Unpaused by a production start: only a non-production start had paused it.';
const SERVICE_NOTES = { paused: PAUSED_NOTE, unpaused: UNPAUSED_NOTE };

export type EnsureOutcome = 'created' | ReconcileOutcome;

/**
 * The seed's "daily at 08:30 UTC (production only)", as a Temporal Schedule, ensured by every
 * worker at start. Created paused outside production (with PAUSED_NOTE) and active in production.
 * Later calls update the spec and the action when the configuration changed, and a production start
 * lifts a pause that carries PAUSED_NOTE; an operator's pause (any other note) always stands.
 *
 * The configuration's digest rides in the action's memo, so an unchanged one writes nothing, and
 * every write carries the conflict token of the read it was decided on (see reconcile-schedule.ts).
 */
export async function ensureValidationSchedule(
  client: Client,
  options: ScheduleOptions,
  observer?: ReconcileObserver,
): Promise<EnsureOutcome> {
  const desired = desiredSchedule(options);
  const scheduleId = options.scheduleId ?? VALIDATION_SCHEDULE_ID;
  try {
    await client.schedule.create({
      scheduleId,
      spec: desired.spec,
      action: desired.action,
      policies: desired.policies,
      state: options.production ? { paused: false, note: ACTIVE_NOTE } : { paused: true, note: PAUSED_NOTE },
    });
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    return reconcileSchedule(client, scheduleId, desired, scheduleFacts, SERVICE_NOTES, observer);
  }
}

function desiredSchedule(options: ScheduleOptions): DesiredSchedule {
  const spec = { calendars: [{ hour: 8, minute: 30 }], timezone: 'UTC' };
  const workflow = {
    workflowType: TOKEN_SWEEP_WORKFLOW_TYPE,
    taskQueue: options.taskQueue,
    args: [{ settings: options.settings }],
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '2 hours' };
  const digest = createHash('sha256')
    .update(JSON.stringify({ spec, workflow, policies }))
    .digest('hex')
    .slice(0, 16);
  const action = { type: 'startWorkflow' as const, ...workflow, memo: { [CONFIG_MEMO]: digest } };
  return { spec, action, policies, digest, production: options.production };
}

const scheduleFacts = (description: ScheduleDescription): ScheduleFacts => ({
  digest:
    description.action.type === 'startWorkflow'
      ? (description.action.memo?.[CONFIG_MEMO] as string | undefined)
      : undefined,
  paused: description.state.paused,
  note: description.state.note,
});

/** The schedule's options from the settings: production switches it on; the sweep's knobs travel in its input. */
export function scheduleOptions(
  env: Pick<
    ServiceEnv,
    | 'APP_ENV'
    | 'TEMPORAL_TASK_QUEUE'
    | 'VALIDATION_SCHEDULE_ID'
    | 'SWEEP_PAGE_SIZE'
    | 'SWEEP_VALIDATION_CONCURRENCY'
    | 'MAX_RECONNECTION_ATTEMPTS'
  >,
): ScheduleOptions {
  return {
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    scheduleId: env.VALIDATION_SCHEDULE_ID,
    production: env.APP_ENV === 'production',
    settings: {
      pageSize: env.SWEEP_PAGE_SIZE,
      concurrency: env.SWEEP_VALIDATION_CONCURRENCY,
      maxAttempts: env.MAX_RECONNECTION_ATTEMPTS,
    },
  };
}

/** The schedule's real paused state: it is set at creation only, so APP_ENV alone can't tell it. */
export async function validationScheduleState(
  client: Client,
  scheduleId = VALIDATION_SCHEDULE_ID,
): Promise<{ paused: boolean; note?: string }> {
  const { state } = await client.schedule.getHandle(scheduleId).describe();
  return { paused: state.paused, note: state.note };
}

/** For logs and the CLI: what the schedule will do, in words. */
export const describeScheduleState = (state: { paused: boolean; note?: string }): string =>
  state.paused ? `paused: ${state.note ?? 'no note'}` : 'active';
