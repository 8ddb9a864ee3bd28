import { z } from 'zod';
import { envField } from '../../config/parse-env';

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
   * Local stacks only (`npm start`, `npm run cluster`), whose UI has no login to pass a token: callers
   * on this machine's loopback need no credential. Never behind a proxy on the same host.
   */
  CODEC_OPEN_ON_LOOPBACK: envField.boolean().default(false),
  /** The Temporal UI's origins (comma-separated), allowed by CORS: e.g. https://cloud.temporal.io. */
  CODEC_CORS_ORIGINS: origins,
});
export type CodecServerEnv = z.infer<typeof codecServerEnv>;
