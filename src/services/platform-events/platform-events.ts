import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { PlatformEventsStore } from '../../db/stores/platform-events-store';
import type { Logger } from '../../logger';
import { afterCommit } from '../../util/after-commit';
import type { PlatformEventData, PlatformEventType } from './event-types';

export interface PlatformEventsDeps {
  store: PlatformEventsStore;
  clock: Clock;
  logger: Logger;
  /** False without PLATFORM_WEBHOOK_URL: nothing is recorded, since nothing would deliver it. */
  enabled: boolean;
  /** How long each event is retried (PLATFORM_EVENTS_DELIVERY_HOURS). */
  deliveryWindowMs: number;
  /** Asks the delivery pass to look now (best effort: its schedule finds the event anyway). */
  wake(): Promise<void>;
}

/**
 * Records events for the platform in the caller's transaction, so that an event and the change
 * it reports commit together; the delivery pass (event-delivery.ts) posts them.
 */
export function createPlatformEvents(deps: PlatformEventsDeps) {
  return {
    enabled: deps.enabled,

    /**
     * `dedupeKey`: an event that a retried step (or a second look) would report again is written
     * once. Answers whether it was written.
     */
    async record<T extends PlatformEventType>(
      type: T,
      data: PlatformEventData<T>,
      trx: Knex | undefined,
      dedupeKey?: string,
    ): Promise<boolean> {
      if (!deps.enabled) return false;
      const id = `evt_${randomUUID().replaceAll('-', '')}`;
      const occurredAt = deps.clock.now();
      const inserted = await deps.store.insert(
        {
          id,
          type,
          data,
          occurredAt,
          dedupeKey,
          deliverUntil: new Date(occurredAt.getTime() + deps.deliveryWindowMs),
        },
        trx,
      );
      if (!inserted) return false;
      deps.logger.debug({ eventId: id, type, dedupeKey }, 'platform event recorded');
      const transaction = trx && 'executionPromise' in trx ? (trx as Knex.Transaction) : undefined;
      afterCommit(
        transaction,
        () => deps.wake(),
        (error) =>
          deps.logger.debug(
            { eventId: id, err: error instanceof Error ? error.message : String(error) },
            'could not wake the event delivery; its schedule will find the event',
          ),
      );
      return true;
    },
  };
}
export type PlatformEvents = ReturnType<typeof createPlatformEvents>;
