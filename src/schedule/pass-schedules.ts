import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { ServiceEnv } from '../config/service-env';
import { platformWebhookFromEnv } from '../services/platform-events/env';
import {
  FAILED_LESSONS_WORKFLOW_TYPE,
  PLATFORM_EVENTS_WORKFLOW_TYPE,
} from '../workflows/definitions/platform-events';
import { GRANT_REVOCATIONS_WORKFLOW_TYPE } from '../workflows/definitions/revocation';
import { ensureSchedule, type EnsureOutcome } from './ensure-schedule';

/** A durable outbox's pass (or a look), started every `everySeconds` and woken by new work. */
export interface PassSchedule {
  scheduleId: string;
  everySeconds: number;
  workflowType: string;
  note: string;
}

/**
 * The service's passes: dropped grants are revoked in every environment (a grant must not live on
 * at Zoom under `npm start` either); the platform's events are delivered, and failed lessons
 * looked for, only when PLATFORM_WEBHOOK_URL is set.
 */
export function passSchedules(env: ServiceEnv): PassSchedule[] {
  const passes: PassSchedule[] = [
    {
      scheduleId: env.REVOCATION_SCHEDULE_ID,
      everySeconds: env.REVOCATION_POLL_SECONDS,
      workflowType: GRANT_REVOCATIONS_WORKFLOW_TYPE,
      note: 'Revokes dropped Zoom grants.',
    },
  ];
  if (!platformWebhookFromEnv(env)) return passes;
  return passes.concat(
    {
      scheduleId: env.PLATFORM_EVENTS_SCHEDULE_ID,
      everySeconds: env.PLATFORM_EVENTS_POLL_SECONDS,
      workflowType: PLATFORM_EVENTS_WORKFLOW_TYPE,
      note: 'Delivers the events to the platform.',
    },
    {
      scheduleId: env.FAILED_LESSONS_SCHEDULE_ID,
      everySeconds: env.FAILED_LESSONS_POLL_SECONDS,
      workflowType: FAILED_LESSONS_WORKFLOW_TYPE,
      note: 'Reports failed lesson workflows to the platform.',
    },
  );
}

/**
 * Runs never overlap, and a run left without a worker (a stopped stack) times out instead of
 * waiting for ever.
 */
export async function ensurePassSchedule(
  client: Client,
  pass: PassSchedule,
  taskQueue: string,
): Promise<EnsureOutcome> {
  return ensureSchedule(client, {
    scheduleId: pass.scheduleId,
    spec: { intervals: [{ every: `${pass.everySeconds}s` }] },
    workflow: {
      workflowType: pass.workflowType,
      taskQueue,
      args: [{}],
      workflowExecutionTimeout: '15 minutes',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    initialState: { paused: false, note: pass.note },
  });
}

/** A pass now (after the one running, if any); the schedule's own passes make it optional. */
export async function triggerPass(client: Client, scheduleId: string): Promise<void> {
  await client.schedule.getHandle(scheduleId).trigger(ScheduleOverlapPolicy.BUFFER_ONE);
}
