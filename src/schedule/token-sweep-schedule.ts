import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { ServiceEnv } from '../config/service-env';
import { ensureSchedule, type EnsureOutcome } from './ensure-schedule';
import type { ReconcileObserver } from './reconcile-schedule';
import {
  TOKEN_SWEEP_WORKFLOW_TYPE,
  VALIDATION_SCHEDULE_ID,
  type SweepSettings,
} from '../workflows/definitions/token-sweep';

export interface ScheduleOptions {
  taskQueue: string;
  production: boolean;
  settings: SweepSettings;
  /** VALIDATION_SCHEDULE_ID: one schedule per deployment. */
  scheduleId?: string;
}

/** The service's own notes on the paused state (stored in schedules: keep them as they are). */
export const PAUSED_NOTE =
  'Paused outside production (APP_ENV is not production): trigger it by hand, or run `npm run ops -- sweep`.';
export const ACTIVE_NOTE = 'Active in production.';
export const UNPAUSED_NOTE = 'Unpaused by a production start: only a non-production start had paused it.';

/**
 * The seed's "daily at 08:30 UTC (production only)", as a Temporal Schedule, ensured by every
 * worker at start. Created paused outside production (with PAUSED_NOTE) and active in production.
 * A production start lifts a pause that carries PAUSED_NOTE; an operator's pause (any other note)
 * always stands.
 */
export async function ensureTokenSweepSchedule(
  client: Client,
  options: ScheduleOptions,
  observer?: ReconcileObserver,
): Promise<EnsureOutcome> {
  return ensureSchedule(
    client,
    {
      scheduleId: options.scheduleId ?? VALIDATION_SCHEDULE_ID,
      spec: { calendars: [{ hour: 8, minute: 30 }], timezone: 'UTC' },
      workflow: {
        workflowType: TOKEN_SWEEP_WORKFLOW_TYPE,
        taskQueue: options.taskQueue,
        args: [{ settings: options.settings }],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '2 hours' },
      initialState: options.production
        ? { paused: false, note: ACTIVE_NOTE }
        : { paused: true, note: PAUSED_NOTE },
      liftServicePause: {
        production: options.production,
        notes: { paused: PAUSED_NOTE, unpaused: UNPAUSED_NOTE },
      },
    },
    observer,
  );
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
export async function tokenSweepScheduleState(
  client: Client,
  scheduleId = VALIDATION_SCHEDULE_ID,
): Promise<{ paused: boolean; note?: string }> {
  const { state } = await client.schedule.getHandle(scheduleId).describe();
  return { paused: state.paused, note: state.note };
}

/** For logs and the CLI: what the schedule will do, in words. */
export const describeScheduleState = (state: { paused: boolean; note?: string }): string =>
  state.paused ? `paused: ${state.note ?? 'no note'}` : 'active';
