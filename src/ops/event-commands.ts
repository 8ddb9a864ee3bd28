import type { Container } from '../container';
import type { PlatformEvent } from '../db/stores/platform-events-store';
import { triggerPass } from '../schedule/pass-schedules';

/** `npm run ops -- events [redeliver <id>]`: the platform events not delivered, and a redelivery. */
export function createEventOpsCommands(container: Container, print: (line: string) => void) {
  const { env, stores, clock } = container;

  return {
    /** The undelivered events (given up ones too), the oldest first: id, type, attempts, last error. */
    async events(limit = 100): Promise<PlatformEvent[]> {
      const undelivered = await stores.platformEvents.listUndelivered(limit);
      for (const e of undelivered) print(describeEvent(e));
      if (undelivered.length === 0) print('Every platform event has been delivered.');
      else if (undelivered.length === limit) print(`(the first ${limit} only)`);
      return undelivered;
    },

    /**
     * Delivers one event again, under its own webhook-id, with a fresh retry window; a delivered
     * one too (the platform lost it). The pass is woken at once.
     */
    async redeliverEvent(id: string): Promise<boolean> {
      const now = clock.now();
      const until = new Date(now.getTime() + env.PLATFORM_EVENTS_DELIVERY_HOURS * 3600_000);
      if (!(await stores.platformEvents.redeliver(id, now, until))) {
        print(`No platform event ${id}.`);
        return false;
      }
      await triggerPass(container.temporal.client, env.PLATFORM_EVENTS_SCHEDULE_ID).catch(() =>
        print(
          'The delivery schedule could not be woken (is PLATFORM_WEBHOOK_URL set?): it runs when it next looks.',
        ),
      );
      print(`Platform event ${id} will be delivered again.`);
      return true;
    },
  };
}

export function describeEvent(e: PlatformEvent): string {
  return [
    e.id,
    e.type.padEnd(24),
    `at=${e.occurredAt.toISOString()}`,
    `attempts=${e.attempts}`,
    e.givenUpAt ? `given up ${e.givenUpAt.toISOString()}` : `next=${e.nextAttemptAt.toISOString()}`,
    e.lastError ? `last error: ${e.lastError}` : '',
  ]
    .join('  ')
    .trimEnd();
}
