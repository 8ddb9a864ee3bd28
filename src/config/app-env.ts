import { z } from 'zod';
import { envField } from './parse-env';

/** Settings of the service itself (not of one provider). */
export const appEnv = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: envField.port().default(3000),
  /** The address the API and the metrics server listen on: every interface in a container, loopback on one machine. */
  LISTEN_HOST: z.union([z.ipv4(), z.ipv6()]).default('0.0.0.0'),
  PUBLIC_BASE_URL: envField.baseUrl().default('http://127.0.0.1:3000'),
  /**
   * Where the connect flow sends the tutor back (`?zoom=pending&grant=` or `?zoom=error&reason=`).
   * Required by `npm run api`; without it (npm start only) the callback shows a confirmation page.
   */
  PLATFORM_REDIRECT_URL: envField.url().optional(),
  /** On SIGTERM, how long requests in progress may take to finish before they are cut. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  TOKEN_ENCRYPTION_KEY: envField.encryptionKey(),
  TOKEN_ENCRYPTION_OLD_KEYS: envField.oldEncryptionKeys(),
  PLATFORM_JWT_SECRET: envField.secret(32),
  /** A platform JWT older than this (by its iat), or issued to live longer, is refused. */
  PLATFORM_JWT_MAX_AGE_SECONDS: envField.positiveInt().default(300),
  /** Clock skew allowed on iat, nbf and exp. */
  PLATFORM_JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().int().min(0).default(30),
  /** When set, a platform JWT must name this audience / issuer. */
  PLATFORM_JWT_AUDIENCE: z.string().min(1).optional(),
  PLATFORM_JWT_ISSUER: z.string().min(1).optional(),
  BOOKING_API_TOKEN: envField.secret(24),
  /** Signs join links, OAuth state cookies and reconnect tokens. */
  LINK_SIGNING_SECRET: envField.secret(32),

  MAX_RECONNECTION_ATTEMPTS: envField.positiveInt().default(3),
  SWEEP_PAGE_SIZE: envField.positiveInt().default(500),
  SWEEP_VALIDATION_CONCURRENCY: envField.positiveInt().default(50),
  EARLY_JOIN_MINUTES: envField.positiveInt().default(10),
  LESSON_GRACE_MINUTES: envField.positiveInt().default(15),
  ZOOM_FALLBACK_MARGIN_MINUTES: envField.positiveInt().default(15),
  /** A lesson (booked or rescheduled) must start within this many days from now. */
  MAX_BOOKING_HORIZON_DAYS: envField.positiveInt().default(400),
});
export type AppEnv = z.infer<typeof appEnv>;
