import { apiEnv, loadServiceEnv } from '../config/service-env';
import { createContainer, type Container } from '../container';
import { createApp } from './app';
import { createAreas } from './areas';
import { createRateLimits } from './rate-limit/create-rate-limits';
import { rateLimitMiddleware } from './rate-limit/middleware';
import { createDrainingServer } from '../net/draining-server';
import { serveMetricsIfConfigured } from '../observability/metrics-server';
import { servicePayloadCodec } from '../temporal/data-converter';
import { createCodecAuth } from './codec/codec-auth';
import { codecServer } from './codec/codec-server';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export async function startApi(
  container: Container,
  port = container.env.PORT,
  host = container.env.LISTEN_HOST,
): Promise<RunningApi> {
  const { env } = container;
  const areas = createAreas(container);
  const limits = createRateLimits(env, container.db, container.logger);
  const app = createApp({
    logger: container.logger,
    areas,
    metrics: container.metrics,
    middleware: [
      // first: the rate limits and the API's method answers are about the API's own routes
      codecServer({
        codec: servicePayloadCodec(env),
        auth: createCodecAuth(env),
        allowedOrigins: env.CODEC_CORS_ORIGINS,
      }),
      ...(limits ? [rateLimitMiddleware(areas, limits)] : []),
    ],
  });
  const draining = createDrainingServer(app.callback(), {
    requestTimeoutMs: env.API_REQUEST_TIMEOUT_MS,
    headersTimeoutMs: env.API_HEADERS_TIMEOUT_MS,
    maxConnections: env.API_MAX_CONNECTIONS,
  });
  const { server } = draining;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  // Idle connections outlive a load balancer's (60 s on most), so it never reuses one we closed.
  // The headers timeout counts from a request's first byte, not from the idle time before it.
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    close: async () => {
      const cut = await draining.close(container.env.SHUTDOWN_GRACE_SECONDS * 1000);
      if (cut) container.logger.warn({ cut }, 'shutdown deadline passed; requests still running were cut');
    },
  };
}

/** `npm run api`: production style, from the environment only. */
async function main(): Promise<void> {
  const container = await createContainer(loadServiceEnv(process.env, apiEnv));
  const api = await startApi(container);
  const metrics = await serveMetricsIfConfigured(container);
  container.logger.info({ url: api.url, metrics: metrics?.url }, 'API listening');
  const stop = async (): Promise<void> => {
    await api.close();
    await metrics?.close();
    await container.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
