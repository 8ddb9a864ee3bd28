import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;

/** How long a client may take to send a request, and how many connections it may hold. */
export interface ServerLimits {
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  maxConnections: number;
}

/**
 * Node checks the timeouts on a timer (every 30 s by default, which would let a 10 s limit run to
 * 40 s): a tenth of the shorter one, between 50 ms and 1 s, keeps them close to their value.
 */
const checkingIntervalMs = (limits: ServerLimits): number =>
  Math.min(1000, Math.max(50, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 10)));

export interface DrainingServer {
  server: Server;
  /**
   * Stops accepting, closes idle keep-alive connections and waits for the requests in progress to
   * finish; at the deadline the connections left are cut. Resolves with how many handlers were
   * still running then (0 on a clean drain).
   */
  close(deadlineMs: number): Promise<number>;
}

/**
 * An HTTP server whose close lets requests in progress finish, so a deploy drops none of them;
 * with `limits`, a request that does not arrive in time is cut (408) and connections are capped.
 */
export function createDrainingServer(handler: Handler, limits?: ServerLimits): DrainingServer {
  const running = new Set<Promise<unknown>>();
  const unanswered = new Set<ServerResponse>();
  let closing = false;
  // Told to the client, so it does not send its next request on a connection we are about to end.
  const endAfterAnswer = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };

  const options = limits && {
    requestTimeout: limits.requestTimeoutMs,
    // Node refuses a headers timeout above the request timeout.
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    connectionsCheckingInterval: checkingIntervalMs(limits),
  };
  const server = createServer(options ?? {}, (req, res) => {
    if (closing) endAfterAnswer(res);
    unanswered.add(res);
    res.once('close', () => {
      unanswered.delete(res);
      // Its connection may now be idle, and would otherwise be kept alive for keepAliveTimeout.
      if (closing) setImmediate(() => server.closeIdleConnections());
    });
    const handled = handler(req, res).catch(() => undefined);
    running.add(handled);
    void handled.finally(() => running.delete(handled));
  });

  if (limits) server.maxConnections = limits.maxConnections;

  const handlersDone = async (): Promise<void> => {
    while (running.size) await Promise.all(running);
  };

  return {
    server,
    close: async (deadlineMs) => {
      closing = true;
      unanswered.forEach(endAfterAnswer);
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'deadline'>((resolve) => {
        timer = setTimeout(() => resolve('deadline'), deadlineMs);
      });
      const outcome = await Promise.race([Promise.all([stopped, handlersDone()]), deadline]);
      clearTimeout(timer);
      if (outcome !== 'deadline') return 0;
      const cut = running.size;
      server.closeAllConnections();
      await stopped;
      return cut;
    },
  };
}
