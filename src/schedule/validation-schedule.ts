import { createHash } from 'node:crypto';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { ServiceEnv } from '../config/service-env';
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

export const PAUSED_NOTE =
  'Paused outside production (APP_ENV is not production): trigger it by hand, or run `npm run ops -- sweep`.';

/**
 * The seed's "daily at 08:30 UTC (production only)", as a Temporal Schedule. Created once with its
 * paused state; later calls update the spec and the action but keep an operator's pause.
 *
 * Every worker calls this at start. Temporal's update rewrites the whole schedule, state included,
 * from a read made just before, so an update racing with an operator's pause would undo it. The
 * configuration's digest rides in the action's memo, and an unchanged configuration writes nothing.
 */
export async function ensureValidationSchedule(
  client: Client,
  options: ScheduleOptions,
): Promise<'created' | 'updated' | 'unchanged'> {
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
  const scheduleId = options.scheduleId ?? VALIDATION_SCHEDULE_ID;
  try {
    await client.schedule.create({
      scheduleId,
      spec,
      action,
      policies,
      state: options.production
        ? { paused: false, note: 'Active in production.' }
        : { paused: true, note: PAUSED_NOTE },
    });
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
