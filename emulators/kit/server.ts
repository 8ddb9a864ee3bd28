import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { EmulatorClock } from './clock';
import { kitControlRoutes } from './control-routes';
import { FaultInjector, retryAfterValue, type FaultRule } from './faults';
import { RequestLog } from './request-log';
import { matchPath } from './route-pattern';
import { StateFile } from './state-file';
import {
  JsonParseError,
  type EmulatorDefinition,
  type EmulatorOptions,
  type EmulatorRequest,
  type EmulatorResponse,
  type Route,
} from './types';

export * from './types';

export interface RunningEmulator {
  url: string;
  port: number;
  clock: EmulatorClock;
  faults: FaultInjector;
  requests: RequestLog;
  close(): Promise<void>;
}

const BODY_LIMIT = 40 * 1024 * 1024;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function toRequest(req: IncomingMessage, rawBody: Buffer): EmulatorRequest {
  const url = new URL(req.url ?? '/', 'http://emulator.local');
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    rawBody,
    json: () => {
      try {
        return JSON.parse(rawBody.toString('utf8'));
      } catch {
        throw new JsonParseError('the body is not valid JSON');
      }
    },
    form: () => new URLSearchParams(rawBody.toString('utf8')),
  };
}

function findRoute(
  routes: Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method.toUpperCase() !== method && route.method !== '*') continue;
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}

function send(res: ServerResponse, answer: EmulatorResponse): void {
  const headers: Record<string, string> = { ...answer.headers };
  let payload: string | undefined;
  if (answer.body !== undefined) {
    payload = JSON.stringify(answer.body);
    headers['content-type'] ??= answer.contentType ?? 'application/json; charset=utf-8';
  } else if (answer.text !== undefined) {
    payload = answer.text;
    headers['content-type'] ??= answer.contentType ?? 'text/html; charset=utf-8';
  }
  res.writeHead(answer.status, headers);
  res.end(payload);
}

function faultAnswer(
  def: EmulatorDefinition,
  rule: FaultRule,
  path: string,
  nowMs: number,
): EmulatorResponse {
  const status = rule.status ?? 429;
  const headers: Record<string, string> = {
    ...def.faultHeaders?.(status, nowMs),
    ...(rule.retryAfter ? { 'retry-after': retryAfterValue(rule.retryAfter, nowMs) } : {}),
  };
  return {
    status,
    headers,
    body: rule.body ?? def.errorBody(status, status === 429 ? 'Too many requests' : 'Injected fault', path),
  };
}

/** Starts one emulator: its routes, the /_emulator control API, fault injection, the request log and state. */
export async function startEmulator(
  def: EmulatorDefinition,
  options: EmulatorOptions = {},
): Promise<RunningEmulator> {
  const clock = options.clock ?? new EmulatorClock();
  const faults = new FaultInjector(options.seed);
  const requests = new RequestLog(options.requestLogSize);
  const controlRoutes = [...kitControlRoutes({ clock, faults, requests }), ...(def.controlRoutes ?? [])];
  const stateFile =
    options.stateFile && def.snapshot ? new StateFile(options.stateFile, def.snapshot) : undefined;
  if (stateFile && def.restore) {
    const saved = stateFile.load();
    if (saved !== undefined) def.restore(saved);
  }
  let baseUrl = '';
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const request = toRequest(req, await readBody(req));
    const isControl = request.path.startsWith('/_emulator/');
    const found = findRoute(isControl ? controlRoutes : def.routes, request.method, request.path);
    const who = !isControl && def.identify ? safeIdentify(def, request) : {};
    const rule = isControl
      ? undefined
      : faults.decide({ method: request.method, path: request.path, ...who });

    const run = async (): Promise<EmulatorResponse> => {
      if (!found)
        return {
          status: 404,
          body: def.errorBody(404, `No route for ${request.method} ${request.path}`, request.path),
        };
      try {
        return await found.route.handler({ req: request, params: found.params, clock, baseUrl });
      } catch (error) {
        if (error instanceof JsonParseError)
          return { status: 400, body: def.errorBody(400, error.message, request.path) };
        return { status: 500, body: def.errorBody(500, (error as Error).message, request.path) };
      }
    };

    let answer: EmulatorResponse | undefined;
    if (rule) {
      const latency = faults.latencyOf(rule);
      if (latency > 0) await sleep(latency);
      const when = rule.hang ?? rule.reset;
      if (when === 'after') answer = await run();
      if (rule.hang || rule.reset) {
        if (!isControl && answer && stateFile && request.method !== 'GET') stateFile.scheduleSave();
        record(request, found?.route.path, rule.reset ? 0 : -1, started, who, rule.id);
        if (rule.reset) req.socket.destroy();
        else hanging.add(res);
        return;
      }
      if (rule.status !== undefined || rule.retryAfter !== undefined)
        answer = faultAnswer(def, rule, request.path, clock.nowMs());
    }
    answer ??= await run();
    send(res, answer);
    if (stateFile && request.method !== 'GET') stateFile.scheduleSave(); // control calls change state too
    if (!isControl) record(request, found?.route.path, answer.status, started, who, rule?.id);
  }

  function record(
    request: EmulatorRequest,
    routePath: string | undefined,
    status: number,
    started: number,
    who: { user?: string; room?: string },
    fault?: string,
  ): void {
    requests.record(
      {
        at: clock.nowMs(),
        method: request.method,
        path: request.path,
        query: Object.fromEntries(request.query),
        headers: request.headers,
        body: request.rawBody.toString('utf8'),
        status,
        durationMs: performance.now() - started,
        ...who,
        ...(fault ? { fault } : {}),
      },
      `${request.method} ${routePath ?? '(unknown)'}`,
    );
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        send(res, {
          status: 500,
          body: def.errorBody(500, String(error), (req.url ?? '/').split('?')[0] ?? '/'),
        });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  baseUrl = options.publicUrl ?? `http://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    url: baseUrl,
    port,
    clock,
    faults,
    requests,
    close: async () => {
      for (const res of hanging) res.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      stateFile?.saveNow();
    },
  };
}

function safeIdentify(def: EmulatorDefinition, request: EmulatorRequest): { user?: string; room?: string } {
  try {
    return def.identify?.(request) ?? {};
  } catch {
    return {};
  }
}
