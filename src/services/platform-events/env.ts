import { z } from 'zod';
import { ConfigError, envField } from '../../config/parse-env';

/** Standard Webhooks secrets: `whsec_` and 24 to 64 random bytes in base64. */
const WHSEC = /^whsec_([A-Za-z0-9+/]+={0,2})$/;
const isWebhookSecret = (value: string): boolean => {
  const base64 = WHSEC.exec(value)?.[1];
  if (!base64) return false;
  const bytes = Buffer.from(base64, 'base64').length;
  return bytes >= 24 && bytes <= 64;
};

/**
 * Events to the platform (platform-events.ts). Without PLATFORM_WEBHOOK_URL no event is recorded
 * at all: nothing would ever deliver them. With it, PLATFORM_WEBHOOK_SECRET is required.
 */
export const platformEventsEnv = z.object({
  PLATFORM_WEBHOOK_URL: envField.url().optional(),
  PLATFORM_WEBHOOK_SECRET: z
    .string()
    .refine(isWebhookSecret, { message: 'must be whsec_ followed by 24 to 64 bytes in base64' })
    .optional(),
  PLATFORM_WEBHOOK_TIMEOUT_MS: envField.positiveInt().default(10_000),
  /** How long an event is retried before it is given up (`npm run ops -- events` redelivers it). */
  PLATFORM_EVENTS_DELIVERY_HOURS: envField.positiveInt().default(72),
  /** The delivery pass's Temporal Schedule; stacks sharing one dev server (tests) each use their own. */
  PLATFORM_EVENTS_SCHEDULE_ID: z.string().min(1).default('deliver-platform-events'),
  /** How often the delivery pass looks for due events (each new event also wakes it at once). */
  PLATFORM_EVENTS_POLL_SECONDS: envField.positiveInt().default(30),
  /** The first retry's delay; each next one doubles, up to an hour. */
  PLATFORM_EVENTS_RETRY_SECONDS: envField.positiveInt().default(10),
  /** The Schedule that finds failed or terminated lesson workflows (lesson.failed). */
  FAILED_LESSONS_SCHEDULE_ID: z.string().min(1).default('report-failed-lessons'),
  FAILED_LESSONS_POLL_SECONDS: envField.positiveInt().default(300),
  /** How far back each look reaches: a few looks, so that one missed (no worker) loses nothing. */
  FAILED_LESSONS_LOOKBACK_HOURS: envField.positiveInt().default(24),
});
export type PlatformEventsEnv = z.infer<typeof platformEventsEnv>;

export interface PlatformWebhook {
  url: string;
  secret: string;
  timeoutMs: number;
}

/** The platform's endpoint, or undefined when events are off; throws a ConfigError for a URL without secret. */
export function platformWebhookFromEnv(env: PlatformEventsEnv): PlatformWebhook | undefined {
  if (!env.PLATFORM_WEBHOOK_URL) return undefined;
  if (!env.PLATFORM_WEBHOOK_SECRET)
    throw new ConfigError(['PLATFORM_WEBHOOK_SECRET: is required with PLATFORM_WEBHOOK_URL']);
  return {
    url: env.PLATFORM_WEBHOOK_URL,
    secret: env.PLATFORM_WEBHOOK_SECRET,
    timeoutMs: env.PLATFORM_WEBHOOK_TIMEOUT_MS,
  };
}
