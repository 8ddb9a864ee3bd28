import { createServer } from 'node:net';

/**
 * Ports below Linux's default ephemeral range (32768–60999) and above the usual services'. A port
 * the kernel hands out for `listen(0)` comes from the ephemeral range, where any outgoing
 * connection may take it as its source port between our choosing it and a child binding it.
 */
const CALM_PORTS = { from: 20_000, to: 32_767 };

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

/** A free TCP port on 127.0.0.1 for a server started a little later (a child process, say). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const candidate = CALM_PORTS.from + Math.floor(Math.random() * (CALM_PORTS.to - CALM_PORTS.from + 1));
    const port = await tryListen(candidate);
    if (port) return port;
  }
  const port = await tryListen(0); // every candidate taken: let the kernel choose
  if (!port) throw new Error('no free port');
  return port;
}

/** Resolves when something accepts TCP connections on host:port, or rejects after timeoutMs. */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 30_000): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
