import type { Clock } from '../../clock';
import type { PlatformEventsStore } from '../../db/stores/platform-events-store';
import type { Logger } from '../../logger';
import type { PlatformWebhookClient } from '../../providers/platform/webhook-client';
import { isProviderError } from '../../providers/provider-error';
import { retryDelayMs } from '../../util/backoff';

export interface EventDeliveryDeps {
  store: PlatformEventsStore;
  clock: Clock;
  logger: Logger;
  /** Undefined when events are off: nothing is delivered (nor recorded). */
  client?: PlatformWebhookClient;
  /** PLATFORM_EVENTS_RETRY_SECONDS, in ms. */
  firstRetryMs: number;
}

/** `retrying`: this attempt failed and the next is booked; `not_due`: nothing to do (yet). */
export type DeliveryResult = 'delivered' | 'retrying' | 'given_up' | 'not_due';

/**
 * Posts recorded events to the platform, one attempt per call. Each attempt signs afresh (a new
 * `webhook-timestamp`: receivers refuse old ones) under the event's own `webhook-id`, which lets
 * the platform drop a repeat. A failure books the next attempt with backoff until the event's
 * window (PLATFORM_EVENTS_DELIVERY_HOURS) ends; then it is given up, for an operator to redeliver.
 */
export function createEventDelivery(deps: EventDeliveryDeps) {
  const { store, client } = deps;
  const now = () => deps.clock.now();
  const after = (ms: number) => new Date(now().getTime() + ms);

  return {
    listDue: async (limit: number): Promise<string[]> => (client ? store.listDueIds(now(), limit) : []),

    async deliver(id: string): Promise<DeliveryResult> {
      if (!client) return 'not_due';
      const event = await store.claim(id, now(), (attempts) =>
        after(retryDelayMs(attempts, deps.firstRetryMs)),
      );
      if (!event) return 'not_due';
      try {
        await client.send(event, now());
        await store.markDelivered(id, now());
        deps.logger.info(
          { eventId: id, type: event.type, attempts: event.attempts },
          'platform event delivered',
        );
        return 'delivered';
      } catch (error) {
        // Provider messages name the call and the status, never the secret or the URL's query.
        const message = isProviderError(error)
          ? error.message
          : `internal error (${error instanceof Error ? error.name : typeof error})`;
        const log = { eventId: id, type: event.type, attempts: event.attempts, err: message };
        if (now() >= event.deliverUntil) {
          await store.giveUp(id, message, now());
          deps.logger.error(log, 'a platform event was given up: `npm run ops -- events` redelivers it');
          return 'given_up';
        }
        const retryAfterMs = isProviderError(error) ? error.retryAfterMs : undefined;
        await store.recordFailure(id, message, retryAfterMs === undefined ? undefined : after(retryAfterMs));
        deps.logger.warn(log, 'delivering a platform event failed; it will be retried');
        return 'retrying';
      }
    },
  };
}
export type EventDelivery = ReturnType<typeof createEventDelivery>;
