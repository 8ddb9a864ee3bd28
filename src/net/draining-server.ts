import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;

export interface DrainingServer {
  server: Server;
  /**
   * Stops accepting, closes idle keep-alive connections and waits for the requests in progress to
   * finish; at the deadline the connections left are cut. Resolves with how many handlers were
   * still running then (0 on a clean drain).
   */
  close(deadlineMs: number): Promise<number>;
}

/** An HTTP server whose close lets requests in progress finish, so a deploy drops none of them. */
export function createDrainingServer(handler: Handler): DrainingServer {
  const running = new Set<Promise<unknown>>();
  const unanswered = new Set<ServerResponse>();
  let closing = false;
  // Told to the client, so it does not send its next request on a connection we are about to end.
  const endAfterAnswer = (res: ServerResponse): void => {
    if (!res.headersSent) res.setHeader('connection', 'close');
  };

  const server = createServer((req, res) => {
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
