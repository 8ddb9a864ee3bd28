import type { EmulatorClock } from './clock';
import type { FaultInjector, FaultRule } from './faults';
import type { RequestLog } from './request-log';
import type { Route } from './types';

/** The control API every emulator serves under /_emulator/: request log, stats, faults, clock, reset. */
export function kitControlRoutes(parts: {
  clock: EmulatorClock;
  faults: FaultInjector;
  requests: RequestLog;
}): Route[] {
  const { clock, faults, requests } = parts;
  const jsonBody = (raw: Buffer): Record<string, unknown> =>
    raw.length ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
  return [
    {
      method: 'GET',
      path: '/_emulator/requests',
      handler: ({ req }) => {
        const limit = Number(req.query.get('limit') ?? 100);
        const path = req.query.get('path') ?? undefined;
        const method = req.query.get('method') ?? undefined;
        return { status: 200, body: { requests: requests.find({ path, method }).slice(-limit) } };
      },
    },
    { method: 'GET', path: '/_emulator/stats', handler: () => ({ status: 200, body: requests.stats() }) },
    {
      method: 'GET',
      path: '/_emulator/faults',
      handler: () => ({ status: 200, body: { faults: faults.list() } }),
    },
    {
      method: 'POST',
      path: '/_emulator/faults',
      handler: ({ req }) => ({ status: 201, body: { id: faults.add(jsonBody(req.rawBody) as FaultRule) } }),
    },
    {
      method: 'DELETE',
      path: '/_emulator/faults',
      handler: () => {
        faults.clear();
        return { status: 204 };
      },
    },
    {
      method: 'DELETE',
      path: '/_emulator/faults/:id',
      handler: ({ params }) => ({ status: faults.remove(params.id ?? '') ? 204 : 404 }),
    },
    {
      method: 'GET',
      path: '/_emulator/clock',
      handler: () => ({
        status: 200,
        body: { nowMs: clock.nowMs(), iso: new Date(clock.nowMs()).toISOString() },
      }),
    },
    {
      method: 'POST',
      path: '/_emulator/clock',
      handler: ({ req }) => {
        const body = jsonBody(req.rawBody);
        if (typeof body.advanceMs === 'number') clock.advance(body.advanceMs);
        else if (typeof body.setMs === 'number') clock.set(body.setMs);
        else return { status: 400, body: { error: 'send {advanceMs} or {setMs}' } };
        return { status: 200, body: { nowMs: clock.nowMs(), iso: new Date(clock.nowMs()).toISOString() } };
      },
    },
    {
      method: 'POST',
      path: '/_emulator/reset',
      handler: () => {
        faults.clear();
        requests.clear();
        clock.reset();
        return { status: 204 };
      },
    },
  ];
}
