import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

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
}): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    collect(options)
      .then((text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text))
      .catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
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
  container: { env: { METRICS_PORT?: number }; metrics: Registry },
  sdkMetricsUrl?: string,
): Promise<MetricsServer | undefined> {
  if (container.env.METRICS_PORT === undefined) return undefined;
  return startMetricsServer({ port: container.env.METRICS_PORT, registry: container.metrics, sdkMetricsUrl });
}
