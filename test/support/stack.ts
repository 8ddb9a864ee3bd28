import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startApi, type RunningApi } from '../../src/api/server';
import { ManualClock } from '../../src/clock';
import { parseEnv } from '../../src/config/parse-env';
import { serviceEnv, type ServiceEnv } from '../../src/config/service-env';
import { createContainer, type Container } from '../../src/container';
import { generateKey } from '../../src/crypto/key-ring';
import { createLogger } from '../../src/logger';
import type { GrantRevocations } from '../../src/services/zoom-connection/grant-revocations';
import { startWorker, type RunningWorker } from '../../src/worker';
import { startDailyEmulator, type DailyEmulator } from '../../emulators/daily/emulator';
import { startSendGridEmulator, type SendGridEmulator } from '../../emulators/sendgrid/emulator';
import { startZoomEmulator, type ZoomEmulator } from '../../emulators/zoom/emulator';
import { freePort } from '../../src/net/free-port';
import { createTestDatabase, type TestDatabase } from './database';
import { TEST_PAYLOAD_ENCRYPTION_KEY } from './payload-key';
import { connectTestTemporal, uniqueName, workflowBundle, type TestTemporal } from './temporal';
import { platformEventsEnv, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

/**
 * The whole service for one test file: the emulators in-process, a fresh database, the
 * container with a manual clock, a worker on its own task queue and the API on a free port.
 * The production code path runs; only base URLs point at the emulators.
 */
export interface TestStack {
  env: ServiceEnv;
  /** The same settings as environment variables, for a service process started beside the stack. */
  rawEnv: Record<string, string>;
  container: Container;
  clock: ManualClock;
  database: TestDatabase;
  temporal: TestTemporal;
  zoom: ZoomEmulator;
  daily: DailyEmulator;
  sendgrid: SendGridEmulator;
  /** The platform's receiver, verifying every event: with `platformEvents: true` only. */
  platformEvents?: WebhookReceiver;
  api: RunningApi;
  worker?: RunningWorker;
  /** Every log line the service wrote, for secret scans. */
  logs: string[];
  startWorker(): Promise<RunningWorker>;
  stopWorker(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  worker?: boolean;
  /** `PLATFORM_REDIRECT_URL: ''` unsets it, as under npm start (the confirmation page). */
  env?: Record<string, string>;
  grantRevocations?: GrantRevocations;
  /** Events to the platform delivered to a receiver (`stack.platformEvents`), looked for every second. */
  platformEvents?: boolean;
}

/** Where the test stack's connect flow ends: nothing listens; tests read the redirect. */
export const PLATFORM_REDIRECT_URL = 'http://127.0.0.1:9/platform/zoom';

export const secret = (bytes = 24): string => randomBytes(bytes).toString('base64url');

/**
 * The rate limits stay on in tests, raised far above what a test sends (fuzz runs, join-link
 * clicks, drills); a test about the limits sets its own through `env`.
 */
export const RAISED_RATE_LIMITS: Record<string, string> = {
  RATE_LIMIT_CONNECT_PER_MINUTE: '1000000',
  RATE_LIMIT_JOIN_PER_CLIENT_PER_MINUTE: '1000000',
  RATE_LIMIT_JOIN_PER_LINK_PER_MINUTE: '1000000',
  RATE_LIMIT_WEBHOOK_FAILURES_PER_MINUTE: '1000000',
};

export async function startTestStack(options: StackOptions = {}): Promise<TestStack> {
  const [database, temporal] = await Promise.all([createTestDatabase(), connectTestTemporal()]);
  const clientId = `client-${secret(6)}`;
  const clientSecret = secret();
  const webhookSecret = secret();
  // The API must know its own URL (redirect URI, links) before anything is built.
  const apiUrl = `http://127.0.0.1:${await freePort()}`;
  const redirectUri = `${apiUrl}/integrations/zoom/callback`;
  const zoom = await startZoomEmulator({
    clientId,
    clientSecret,
    redirectUris: [redirectUri],
    webhookSecretToken: webhookSecret,
    webhookUrl: `${apiUrl}/webhooks/zoom`,
    verificationToken: options.env?.ZOOM_VERIFICATION_TOKEN,
  });

  const dailyKey = secret();
  const sendgridKey = `SG.${secret()}`;
  const [daily, sendgrid] = await Promise.all([
    startDailyEmulator({ apiKey: dailyKey }),
    startSendGridEmulator({ apiKey: sendgridKey, eventWebhookUrl: `${apiUrl}/webhooks/sendgrid` }),
  ]);
  const platformEvents = options.platformEvents ? await startWebhookReceiver() : undefined;

  const logs: string[] = [];
  const logger = createLogger(
    { level: 'debug' },
    new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) }),
  );
  const clock = new ManualClock();
  const rawEnv: Record<string, string> = {
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: uniqueName('tq'),
    // every test file's worker ensures the schedule at start: each stack has its own
    VALIDATION_SCHEDULE_ID: uniqueName('validate-zoom-tokens'),
    REVOCATION_SCHEDULE_ID: uniqueName('revoke-dropped-grants'),
    PLATFORM_EVENTS_SCHEDULE_ID: uniqueName('deliver-platform-events'),
    FAILED_LESSONS_SCHEDULE_ID: uniqueName('report-failed-lessons'),
    APP_ENV: 'test',
    PORT: '0',
    PUBLIC_BASE_URL: apiUrl,
    TOKEN_ENCRYPTION_KEY: generateKey(),
    PAYLOAD_ENCRYPTION_KEY: TEST_PAYLOAD_ENCRYPTION_KEY,
    PLATFORM_JWT_SECRET: secret(32),
    BOOKING_API_TOKEN: secret(),
    LINK_SIGNING_SECRET: secret(32),
    ZOOM_CLIENT_ID: clientId,
    ZOOM_CLIENT_SECRET: clientSecret,
    ZOOM_REDIRECT_URI: redirectUri,
    ZOOM_WEBHOOK_SECRET_TOKEN: webhookSecret,
    ZOOM_OAUTH_BASE_URL: zoom.oauthBaseUrl,
    ZOOM_API_BASE_URL: zoom.apiBaseUrl,
    ZOOM_TIMEOUT_MS: '3000',
    DAILY_API_KEY: dailyKey,
    DAILY_API_BASE_URL: daily.apiBaseUrl,
    DAILY_TIMEOUT_MS: '3000',
    SENDGRID_API_KEY: sendgridKey,
    SENDGRID_API_BASE_URL: sendgrid.apiBaseUrl,
    SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY: sendgrid.eventWebhook.publicKey,
    MAIL_FROM: 'lessons@example.com',
    ...RAISED_RATE_LIMITS,
    PLATFORM_REDIRECT_URL,
    ...(platformEvents && platformEventsEnv(platformEvents)),
    ...options.env,
  };

  const env = parseEnv(serviceEnv, rawEnv);
  const container = await createContainer(env, {
    logger,
    clock,
    temporalConnection: temporal.connection,
    grantRevocations: options.grantRevocations,
  });
  const api = await startApi(container, Number(new URL(apiUrl).port), '127.0.0.1');

  const stack: TestStack = {
    env,
    rawEnv,
    container,
    clock,
    database,
    temporal,
    zoom,
    daily,
    sendgrid,
    platformEvents,
    api,
    logs,
    async startWorker() {
      stack.worker = await startWorker(container, { workflowBundle: await workflowBundle() });
      return stack.worker;
    },
    async stopWorker() {
      await stack.worker?.shutdown();
      stack.worker = undefined;
    },
    async close() {
      await stack.stopWorker();
      // Its worker made them; left, they would fire for the rest of the run (the revocation pass
      // every REVOCATION_POLL_SECONDS), starting workflows on a task queue nobody polls.
      const schedules = [env.VALIDATION_SCHEDULE_ID, env.REVOCATION_SCHEDULE_ID];
      if (env.PLATFORM_WEBHOOK_URL)
        schedules.push(env.PLATFORM_EVENTS_SCHEDULE_ID, env.FAILED_LESSONS_SCHEDULE_ID);
      for (const id of schedules)
        await temporal.client.schedule
          .getHandle(id)
          .delete()
          .catch(() => undefined); // none made (no worker), or gone already
      await api.close();
      await Promise.all([zoom.close(), daily.close(), sendgrid.close(), platformEvents?.close()]);
      await container.close();
      await temporal.close();
      await database.close();
    },
  };
  if (options.worker !== false) await stack.startWorker();
  return stack;
}
