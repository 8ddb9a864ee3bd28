import type { EmulatorClock } from '../kit/clock';
import { startEmulator, type Route, type RunningEmulator } from '../kit/server';
import { eventsPage } from './pages';
import { ReceivedEvents, type ReceivedEvent } from './received-events';

export interface PlatformEventsEmulatorOptions {
  /** PLATFORM_WEBHOOK_SECRET (`whsec_…`): events are verified with it. */
  secret?: string;
  capacity?: number;
  port?: number;
  host?: string;
  stateFile?: string;
  clock?: EmulatorClock;
}

export type PlatformEventsEmulator = RunningEmulator & {
  /** Where the service posts (PLATFORM_WEBHOOK_URL), and the page that lists what came. */
  eventsUrl: string;
  received(): ReceivedEvent[];
};

/**
 * The platform's end of the events under `npm start`, like the mail outbox: POST /events verifies
 * each event (204, or 400 for a bad signature, as a platform would answer), GET /events lists them.
 */
export async function startPlatformEventsEmulator(
  options: PlatformEventsEmulatorOptions = {},
): Promise<PlatformEventsEmulator> {
  const received = new ReceivedEvents(options.secret, options.capacity);
  const routes: Route[] = [
    {
      method: 'POST',
      path: '/events',
      handler: ({ req, clock }) => {
        const event = received.receive(req.headers, req.rawBody.toString('utf8'), clock.nowMs());
        return event.verified ? { status: 204 } : { status: 400, body: { error: event.error } };
      },
    },
    {
      method: 'GET',
      path: '/events',
      handler: () => ({ status: 200, text: eventsPage(received.events, received.total) }),
    },
  ];
  const controlRoutes: Route[] = [
    {
      method: 'GET',
      path: '/_emulator/events',
      handler: () => ({ status: 200, body: { total: received.total, events: received.events } }),
    },
  ];
  const running = await startEmulator(
    {
      name: 'Platform events',
      routes,
      controlRoutes,
      errorBody: (_status, message) => ({ error: message }),
      snapshot: () => ({ events: received.events, total: received.total }),
      restore: (state) => {
        const saved = state as { events?: ReceivedEvent[]; total?: number };
        received.events = saved.events ?? [];
        received.total = saved.total ?? received.events.length;
      },
    },
    options,
  );
  return Object.assign(running, {
    eventsUrl: `${running.url}/events`,
    received: () => [...received.events],
  });
}
