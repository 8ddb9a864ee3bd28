import type { DeliveryResult, EventDelivery } from '../services/platform-events/event-delivery';
import type { FailedLessonsReport } from '../services/platform-events/failed-lessons';

export interface PlatformEventActivityDeps {
  delivery: EventDelivery;
  failedLessons: FailedLessonsReport;
}

/** Thin adapters: ids in, outcomes out; the events are read and signed inside the service. */
export function createPlatformEventActivities({ delivery, failedLessons }: PlatformEventActivityDeps) {
  return {
    async listDueEvents(input: { limit: number }): Promise<string[]> {
      return delivery.listDue(input.limit);
    },

    async deliverEvent(input: { eventId: string }): Promise<DeliveryResult> {
      return delivery.deliver(input.eventId);
    },

    async reportFailedLessons(): Promise<number> {
      return failedLessons.report();
    },
  };
}
export type PlatformEventActivities = ReturnType<typeof createPlatformEventActivities>;
