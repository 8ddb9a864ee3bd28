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
  /** Tests use their own id; production has one schedule. */
  scheduleId?: string;
}

export const PAUSED_NOTE =
  'Paused outside production (APP_ENV is not production): trigger it by hand, or run `npm run ops -- sweep`.';

/**
 * The seed's "daily at 08:30 UTC (production only)", as a Temporal Schedule. Created once with its
 * paused state; later calls update the spec and the action but keep an operator's pause.
 */
export async function ensureValidationSchedule(
  client: Client,
  options: ScheduleOptions,
): Promise<'created' | 'updated'> {
  const spec = { calendars: [{ hour: 8, minute: 30 }], timezone: 'UTC' };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: TOKEN_SWEEP_WORKFLOW_TYPE,
    taskQueue: options.taskQueue,
    args: [{ settings: options.settings }],
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '2 hours' };
  try {
    await client.schedule.create({
      scheduleId: options.scheduleId ?? VALIDATION_SCHEDULE_ID,
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
    await client.schedule
      .getHandle(options.scheduleId ?? VALIDATION_SCHEDULE_ID)
      .update((previous) => ({ ...previous, spec, action, policies }));
    return 'updated';
  }
}

/** The schedule's options from the settings: production switches it on; the sweep's knobs travel in its input. */
export function scheduleOptions(
  env: Pick<
    ServiceEnv,
    | 'APP_ENV'
    | 'TEMPORAL_TASK_QUEUE'
    | 'SWEEP_PAGE_SIZE'
    | 'SWEEP_VALIDATION_CONCURRENCY'
    | 'MAX_RECONNECTION_ATTEMPTS'
  >,
): ScheduleOptions {
  return {
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    production: env.APP_ENV === 'production',
    settings: {
      pageSize: env.SWEEP_PAGE_SIZE,
      concurrency: env.SWEEP_VALIDATION_CONCURRENCY,
      maxAttempts: env.MAX_RECONNECTION_ATTEMPTS,
    },
  };
}
