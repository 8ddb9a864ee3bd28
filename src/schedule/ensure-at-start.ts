import type { Container } from '../container';
import type { ReconcileObserver } from './reconcile-schedule';
import type { EnsureOutcome } from './ensure-schedule';
import {
  ensureTokenSweepSchedule,
  tokenSweepScheduleState,
  type ScheduleOptions,
} from './token-sweep-schedule';

/**
 * Every worker ensures the schedule at start: a production one also lifts the pause that a
 * non-production start set. An operator's pause stands, so say loudly that no sweep will run.
 */
export async function ensureScheduleAtStart(
  container: Pick<Container, 'temporal' | 'logger'>,
  schedule: ScheduleOptions,
  observer: ReconcileObserver = {},
): Promise<EnsureOutcome> {
  const { client } = container.temporal;
  const outcome = await ensureTokenSweepSchedule(client, schedule, {
    ...observer,
    onConflict: () => {
      container.logger.info(
        { scheduleId: schedule.scheduleId },
        'the schedule changed while this worker updated it: read it again',
      );
      observer.onConflict?.();
    },
  });
  if (outcome !== 'unchanged')
    container.logger.info({ scheduleId: schedule.scheduleId, outcome }, 'schedule');
  if (!schedule.production) return outcome;
  const state = await tokenSweepScheduleState(client, schedule.scheduleId);
  if (state.paused)
    container.logger.warn(
      { scheduleId: schedule.scheduleId, note: state.note },
      'the daily Zoom token check is paused by an operator, so no sweep runs: `npm run ops -- unpause` starts it',
    );
  return outcome;
}
