import { Client, Connection } from '@temporalio/client';
import type { ServiceEnv, ServiceEnvWithoutPayloadKey } from './config/service-env';
import { systemClock, type Clock } from './clock';
import { KeyRing } from './crypto/key-ring';
import { serviceDataConverter } from './temporal/data-converter';
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
import { emailSendCounter } from './observability/email-metrics';
import { createEmailSender, RECORD_RETRY_MS, type EmailSender } from './services/email/send-once';
import type { Mailer } from './services/email/email-message';
import { createServices, type Services } from './services/create-services';
import type { GrantRevocations } from './services/zoom-connection/grant-revocations';

/**
 * What every command needs but Temporal: the database, the token key ring, the providers. The ops
 * commands that only touch the database build this alone, so they need neither the payload key
 * nor a reachable Temporal.
 */
export interface ContainerWithoutTemporal {
  env: ServiceEnvWithoutPayloadKey;
  logger: Logger;
  metrics: Registry;
  clock: Clock;
  db: Db;
  locks: AdvisoryLocks;
  keyRing: KeyRing;
  /** Every store, built once; services get the ones they use. */
  stores: Stores;
  zoomConfig: ZoomConfig;
  zoomOAuth: ZoomOAuthClient;
  zoomApi: ZoomApiClient;
  daily: DailyClient;
  mailer: Mailer;
  emailSender: EmailSender;
  close(): Promise<void>;
}

/**
 * The composition root: every long-lived dependency, built once per process from the settings.
 * Tests build it with overrides (a manual clock, a logger that records).
 */
export interface Container extends ContainerWithoutTemporal {
  env: ServiceEnv;
  temporal: { client: Client; connection: Connection; taskQueue: string; namespace: string };
  services: Services;
}

export interface ContainerOverrides {
  logger?: Logger;
  clock?: Clock;
  db?: Db;
  temporalConnection?: Connection;
  grantRevocations?: GrantRevocations;
}

export function createContainerWithoutTemporal(
  env: ServiceEnvWithoutPayloadKey,
  overrides: Pick<ContainerOverrides, 'logger' | 'clock' | 'db'> = {},
): ContainerWithoutTemporal {
  const logger = overrides.logger ?? createLogger({ level: env.LOG_LEVEL });
  const db = overrides.db ?? createDb(env.DATABASE_URL, env.DATABASE_POOL_MAX, logger);
  const zoomConfig = zoomConfigFromEnv(env);
  const mailer = createSendGridMailer(sendgridConfigFromEnv(env));
  const metrics = createMetricsRegistry();
  const keyRing = new KeyRing(env.TOKEN_ENCRYPTION_KEY, env.TOKEN_ENCRYPTION_OLD_KEYS);
  const stores = createStores(db, keyRing);
  const locks = createAdvisoryLocks(createDb(env.DATABASE_URL, env.DATABASE_POOL_MAX, logger));
  return {
    env,
    logger,
    metrics,
    clock: overrides.clock ?? systemClock,
    db,
    locks,
    keyRing,
    stores,
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
    close: async () => {
      await locks.close();
      if (!overrides.db) await db.destroy();
    },
  };
}

export async function createContainer(
  env: ServiceEnv,
  overrides: ContainerOverrides = {},
): Promise<Container> {
  const connection =
    overrides.temporalConnection ?? (await Connection.connect({ address: env.TEMPORAL_ADDRESS }));
  const base = { ...createContainerWithoutTemporal(env, overrides), env };
  const temporal = {
    client: new Client({
      connection,
      namespace: env.TEMPORAL_NAMESPACE,
      dataConverter: serviceDataConverter(env),
    }),
    connection,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    namespace: env.TEMPORAL_NAMESPACE,
  };
  return {
    ...base,
    temporal,
    services: createServices({
      ...base,
      temporalClient: temporal.client,
      grantRevocations: overrides.grantRevocations,
    }),
    close: async () => {
      if (!overrides.temporalConnection) await connection.close();
      await base.close();
    },
  };
}
