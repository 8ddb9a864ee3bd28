import { Client, Connection } from '@temporalio/client';
import type { ServiceEnv } from './config/service-env';
import { systemClock, type Clock } from './clock';
import { KeyRing } from './crypto/key-ring';
import { createAdvisoryLocks, type AdvisoryLocks } from './db/advisory-locks';
import { createDb, type Db } from './db/knex';
import { createStores, type Stores } from './db/stores';
import { createLogger, type Logger } from './logger';
import { createMetricsRegistry } from './observability/metrics';
import type { Registry } from 'prom-client';
import { createDailyClient, type DailyClient } from './providers/daily/client';
import { dailyConfigFromEnv } from './providers/daily/env';
import { createSendGridMailer } from './providers/sendgrid/mailer';
import { confirmationGraceMs, sendgridConfigFromEnv } from './providers/sendgrid/env';
import { createZoomApiClient, type ZoomApiClient } from './providers/zoom/api-client';
import { zoomConfigFromEnv, type ZoomConfig } from './providers/zoom/env';
import { createZoomOAuthClient, type ZoomOAuthClient } from './providers/zoom/oauth-client';
import { dataConverter } from './temporal/data-converter';
import { emailSendCounter } from './observability/email-metrics';
import { createEmailSender, RECORD_RETRY_MS, type EmailSender } from './services/email/send-once';
import type { Mailer } from './services/email/email-message';
import { createServices, type Services } from './services/create-services';
import type { GrantRevocations } from './services/zoom-connection/grant-revocations';

/**
 * The composition root: every long-lived dependency, built once per process from the settings.
 * Tests build it with overrides (a manual clock, a logger that records).
 */
export interface Container {
  env: ServiceEnv;
  logger: Logger;
  metrics: Registry;
  clock: Clock;
  db: Db;
  locks: AdvisoryLocks;
  keyRing: KeyRing;
  /** Every store, built once; services get the ones they use. */
  stores: Stores;
  temporal: { client: Client; connection: Connection; taskQueue: string; namespace: string };
  zoomConfig: ZoomConfig;
  zoomOAuth: ZoomOAuthClient;
  zoomApi: ZoomApiClient;
  daily: DailyClient;
  mailer: Mailer;
  emailSender: EmailSender;
  services: Services;
  close(): Promise<void>;
}

export interface ContainerOverrides {
  logger?: Logger;
  clock?: Clock;
  db?: Db;
  temporalConnection?: Connection;
  grantRevocations?: GrantRevocations;
}

export async function createContainer(
  env: ServiceEnv,
  overrides: ContainerOverrides = {},
): Promise<Container> {
  const logger = overrides.logger ?? createLogger({ level: env.LOG_LEVEL });
  const db = overrides.db ?? createDb(env.DATABASE_URL, env.DATABASE_POOL_MAX, logger);
  const connection =
    overrides.temporalConnection ?? (await Connection.connect({ address: env.TEMPORAL_ADDRESS }));
  const zoomConfig = zoomConfigFromEnv(env);
  const mailer = createSendGridMailer(sendgridConfigFromEnv(env));
  const metrics = createMetricsRegistry();
  const keyRing = new KeyRing(env.TOKEN_ENCRYPTION_KEY, env.TOKEN_ENCRYPTION_OLD_KEYS);
  const stores = createStores(db, keyRing);
  const base = {
    env,
    logger,
    metrics,
    clock: overrides.clock ?? systemClock,
    db,
    locks: createAdvisoryLocks(createDb(env.DATABASE_URL, env.DATABASE_POOL_MAX, logger)),
    keyRing,
    stores,
    temporal: {
      client: new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter }),
      connection,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      namespace: env.TEMPORAL_NAMESPACE,
    },
    zoomConfig,
    zoomOAuth: createZoomOAuthClient(zoomConfig),
    zoomApi: createZoomApiClient(zoomConfig),
    daily: createDailyClient(dailyConfigFromEnv(env)),
    mailer,
    emailSender: createEmailSender({
      ledger: stores.sentEmails,
      mailer,
      confirmationGraceMs: confirmationGraceMs(env),
      attemptTimeoutMs: env.SENDGRID_TIMEOUT_MS + RECORD_RETRY_MS,
      record: emailSendCounter(metrics),
      onGivenUp: (idempotencyKey, error) =>
        logger.error(
          { idempotencyKey, status: error.status, err: error.message },
          'SendGrid refused this email for good; it will not be sent',
        ),
    }),
  };
  return {
    ...base,
    services: createServices({
      ...base,
      temporalClient: base.temporal.client,
      grantRevocations: overrides.grantRevocations,
    }),
    close: async () => {
      if (!overrides.temporalConnection) await connection.close();
      await base.locks.close();
      if (!overrides.db) await db.destroy();
    },
  };
}
