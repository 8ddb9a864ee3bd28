import { z } from 'zod';
import { envField } from '../../config/parse-env';
import { trimBaseUrl } from '../../util/base-url';

/** The seed's Zoom settings, plus the webhook secret and the base URLs (real Zoom by default). */
export const zoomEnv = z.object({
  ZOOM_CLIENT_ID: z.string().min(1),
  ZOOM_CLIENT_SECRET: envField.secret(8),
  ZOOM_REDIRECT_URI: envField.url(),
  ZOOM_VERIFICATION_TOKEN: z.string().min(1).optional(),
  ZOOM_WEBHOOK_SECRET_TOKEN: envField.secret(8),
  ZOOM_OAUTH_BASE_URL: envField.url().default('https://zoom.us'),
  ZOOM_API_BASE_URL: envField.url().default('https://api.zoom.us/v2'),
  ZOOM_TIMEOUT_MS: envField.positiveInt().default(10_000),
});
export type ZoomEnv = z.infer<typeof zoomEnv>;

export interface ZoomConfig {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  verificationToken?: string;
  webhookSecretToken: string;
  oauthBaseUrl: string;
  apiBaseUrl: string;
  timeoutMs: number;
}

export function zoomConfigFromEnv(env: ZoomEnv): ZoomConfig {
  return {
    clientId: env.ZOOM_CLIENT_ID,
    clientSecret: env.ZOOM_CLIENT_SECRET,
    redirectUri: env.ZOOM_REDIRECT_URI,
    verificationToken: env.ZOOM_VERIFICATION_TOKEN,
    webhookSecretToken: env.ZOOM_WEBHOOK_SECRET_TOKEN,
    oauthBaseUrl: trimBaseUrl(env.ZOOM_OAUTH_BASE_URL),
    apiBaseUrl: trimBaseUrl(env.ZOOM_API_BASE_URL),
    timeoutMs: env.ZOOM_TIMEOUT_MS,
  };
}
