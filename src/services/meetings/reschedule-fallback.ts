import type { MeetingRow } from '../../db/stores/meetings-store';
import { isProviderError } from '../../providers/provider-error';

/**
 * When a reschedule gives up on the provider's meeting for a Daily room: it is gone, or Zoom
 * will not move it: the tutor's connection is dead, Zoom refuses the request for good, or its
 * per-host daily limit holds the update until midnight UTC, too late for a lesson that moves.
 * Other transient errors are retried until the lesson's deadline (see the lesson workflow).
 */
export function movesToDailyOnReschedule(meeting: Pick<MeetingRow, 'provider'>, error: unknown): boolean {
  if (!isProviderError(error)) return false;
  if (error.kind === 'not-found') return true;
  if (meeting.provider !== 'zoom') return false;
  return error.kind !== 'transient' || error.dailyLimit;
}
