import type { Knex } from 'knex';
import type { DisconnectReason } from './event-types';
import type { PlatformEvents } from './platform-events';

/** The Zoom events: the tutor's id and what became of their connection, in the change's transaction. */
export function createZoomEvents(events: PlatformEvents) {
  return {
    connected: (tutorId: string, reconnected: boolean, trx: Knex) =>
      events.record('zoom.connected', { tutorId, state: 'connected', reconnected }, trx),

    disconnected: (tutorId: string, reason: DisconnectReason, trx: Knex) =>
      events.record('zoom.disconnected', { tutorId, state: 'disconnected', reason }, trx),

    /** Once per token and day (`tokenId`, `day`), however often the day's saga step runs. */
    reconnectionNeeded: (
      tutorId: string,
      failing: { tokenId: string; day: string; attempt: number; maxAttempts: number },
    ) =>
      events.record(
        'zoom.reconnection_needed',
        { tutorId, state: 'reconnection_needed', attempt: failing.attempt, maxAttempts: failing.maxAttempts },
        undefined,
        `zoom.reconnection_needed:${failing.tokenId}:${failing.day}`,
      ),
  };
}
export type ZoomEvents = ReturnType<typeof createZoomEvents>;
