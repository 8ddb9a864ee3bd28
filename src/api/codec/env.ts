import { z } from 'zod';
import type { AppEnv } from '../../config/app-env';
import { ConfigError, envField } from '../../config/parse-env';

const origins = z
  .string()
  .optional()
  .transform((v) =>
    v
      ? v
          .split(',')
          .map((o) => o.trim().replace(/\/+$/, ''))
          .filter(Boolean)
      : [],
  );

/**
 * The codec server (POST /codec/decode and /codec/encode), which lets the Temporal UI and CLI read
 * encrypted payloads. Outside `npm start` a caller needs CODEC_AUTH_TOKEN or an access token that
 * CODEC_JWKS_URL verifies; with neither set, every call is refused.
 */
export const codecServerEnv = z.object({
  /** What `temporal --codec-auth 'Bearer …'` sends. */
  CODEC_AUTH_TOKEN: envField.secret(24).optional(),
  /** The UI's identity provider's key set (Temporal Cloud: https://login.tmprl.cloud/.well-known/jwks.json). */
  CODEC_JWKS_URL: envField.url().optional(),
  /** When set, the UI's access token must name this issuer / audience. */
  CODEC_JWT_ISSUER: z.string().min(1).optional(),
  CODEC_JWT_AUDIENCE: z.string().min(1).optional(),
  /**
   * Local stacks only (`npm start`, `npm run cluster` set it), whose UI has no login to pass a token:
   * callers on this machine's loopback need no credential. Never behind a proxy on the same host, and
   * refused with APP_ENV=production (checkCodecSettings).
   */
  CODEC_OPEN_ON_LOOPBACK: envField.boolean().default(false),
  /** The Temporal UI's origins (comma-separated), allowed by CORS: e.g. https://cloud.temporal.io. */
  CODEC_CORS_ORIGINS: origins,
});
export type CodecServerEnv = z.infer<typeof codecServerEnv>;

/**
 * In production a TLS proxy or sidecar on the same host would make every caller look local: the
 * codec server (which decrypts every history) would be open to anyone who reaches the proxy.
 */
export function checkCodecSettings(
  env: Pick<CodecServerEnv, 'CODEC_OPEN_ON_LOOPBACK'> & Pick<AppEnv, 'APP_ENV'>,
): void {
  if (env.CODEC_OPEN_ON_LOOPBACK && env.APP_ENV === 'production')
    throw new ConfigError([
      'CODEC_OPEN_ON_LOOPBACK: is for local stacks only, refused with APP_ENV=production (set CODEC_AUTH_TOKEN or CODEC_JWKS_URL)',
    ]);
}
