import { z } from 'zod';
import { databaseEnv } from '../db/env';
import { dailyEnv } from '../providers/daily/env';
import { sendgridEnv } from '../providers/sendgrid/env';
import { eventWebhookPublicKey } from '../providers/sendgrid/event-signature';
import { zoomEnv } from '../providers/zoom/env';
import { temporalEnv } from '../temporal/env';
import { observabilityEnv } from '../observability/env';
import { workerTuningEnv } from '../worker/env';
import { apiServerEnv } from '../api/env';
import { checkCodecSettings, codecServerEnv } from '../api/codec/env';
import { rateLimitEnv } from '../api/rate-limit/env';
import { revocationEnv } from '../services/revocation/env';
import { platformEventsEnv, platformWebhookFromEnv } from '../services/platform-events/env';
import { appEnv } from './app-env';
import { exitOnConfigError, parseEnv } from './parse-env';

/** SendGrid signs events with ECDSA P-256: any other key, or none at all, would fail every webhook later. */
function isSendGridEventKey(value: string): boolean {
  try {
    const key = eventWebhookPublicKey(value);
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
  } catch {
    return false;
  }
}

/**
 * Everything the worker and the API read, validated at start. Each module owns its variables
 * (src/providers/<name>/env.ts, src/db/env.ts, …); this composes them.
 */
export const serviceEnv = z.object({
  ...databaseEnv.shape,
  ...temporalEnv.shape,
  ...appEnv.shape,
  ...observabilityEnv.shape,
  ...workerTuningEnv.shape,
  ...apiServerEnv.shape,
  ...codecServerEnv.shape,
  ...rateLimitEnv.shape,
  ...revocationEnv.shape,
  ...platformEventsEnv.shape,
  ...zoomEnv.shape,
  ...dailyEnv.shape,
  ...sendgridEnv.shape,
  // Parsed here, at start, so a bad key is named like any other bad setting (exit 78).
  SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY: sendgridEnv.shape.SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY.unwrap()
    .refine(isSendGridEventKey, {
      message:
        "must be SendGrid's event webhook verification key (an ECDSA P-256 public key, base64 DER or PEM)",
    })
    .optional(),
});
export type ServiceEnv = z.infer<typeof serviceEnv>;

/**
 * The commands that never talk to Temporal (`npm run ops -- reencrypt`, `history`, `revocations`,
 * `events`): they build no data converter, so they don't ask for the payload key.
 */
export const serviceEnvWithoutPayloadKey = serviceEnv.omit({
  PAYLOAD_ENCRYPTION_KEY: true,
  PAYLOAD_ENCRYPTION_OLD_KEYS: true,
});
export type ServiceEnvWithoutPayloadKey = z.infer<typeof serviceEnvWithoutPayloadKey>;

/**
 * `npm run api`: the connect flow ends on the platform, which confirms the grant for its logged-in
 * user. Only `npm start` (src/stack/run-stack.ts) may go without, with its own confirmation page.
 */
export const apiEnv = serviceEnv.extend({
  PLATFORM_REDIRECT_URL: appEnv.shape.PLATFORM_REDIRECT_URL.unwrap(),
});

/** For process entry points: a bad setting prints one message naming every variable and exits 78. */
export function loadServiceEnv(env?: NodeJS.ProcessEnv): ServiceEnv;
export function loadServiceEnv<T extends ServiceEnvWithoutPayloadKey>(
  env: NodeJS.ProcessEnv,
  schema: z.ZodType<T>,
): T;
export function loadServiceEnv(
  env: NodeJS.ProcessEnv = process.env,
  schema: z.ZodType<ServiceEnvWithoutPayloadKey> = serviceEnv,
): ServiceEnvWithoutPayloadKey {
  try {
    const parsed = parseEnv(schema, env);
    // Settings that depend on each other are checked here, so that they exit like any bad setting.
    platformWebhookFromEnv(parsed);
    checkCodecSettings(parsed);
    return parsed;
  } catch (error) {
    return exitOnConfigError(error);
  }
}
