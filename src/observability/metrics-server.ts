import type { Registry } from 'prom-client';
import { createDrainingServer } from '../net/draining-server';

/** SHUTDOWN_GRACE_SECONDS' default, for a server started without the settings (tests). */
const DEFAULT_GRACE_MS = 10_000;

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves this process's metrics at /metrics. In the worker, the Temporal SDK runtime exports its
 * own on a loopback port; its text is appended, so Prometheus scrapes one endpoint per process.
 */
export async function startMetricsServer(options: {
  port: number;
  host?: string;
  registry: Registry;
  sdkMetricsUrl?: string;
  /** How long close() lets a scrape in progress finish before cutting it (SHUTDOWN_GRACE_SECONDS). */
  shutdownGraceMs?: number;
}): Promise<MetricsServer> {
  // Draining, like the API's: a scrape running at shutdown is answered, and a scraper's kept-alive
  // connection does not hold close() open.
  const draining = createDrainingServer(async (req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    try {
      const text = await collect(options);
      res.writeHead(200, { 'content-type': options.registry.contentType }).end(text);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  const { server } = draining;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    close: async () => void (await draining.close(options.shutdownGraceMs ?? DEFAULT_GRACE_MS)),
  };
}

async function collect(options: { registry: Registry; sdkMetricsUrl?: string }): Promise<string> {
  const own = await options.registry.metrics();
  if (!options.sdkMetricsUrl) return own;
  const sdk = await fetch(options.sdkMetricsUrl, { signal: AbortSignal.timeout(2000) })
    .then((r) => r.text())
    .catch(() => '# the Temporal SDK runtime metrics were unavailable\n');
  return `${own}\n${sdk}`;
}

/** Starts the metrics server when METRICS_PORT is set; the entry points call this. */
export async function serveMetricsIfConfigured(
  container: {
    env: { METRICS_PORT?: number; LISTEN_HOST?: string; SHUTDOWN_GRACE_SECONDS: number };
    metrics: Registry;
  },
  sdkMetricsUrl?: string,
): Promise<MetricsServer | undefined> {
  if (container.env.METRICS_PORT === undefined) return undefined;
  return startMetricsServer({
    port: container.env.METRICS_PORT,
    host: container.env.LISTEN_HOST,
    registry: container.metrics,
    sdkMetricsUrl,
    shutdownGraceMs: container.env.SHUTDOWN_GRACE_SECONDS * 1000,
  });
}
