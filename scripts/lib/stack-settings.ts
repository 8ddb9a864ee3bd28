import { trimBaseUrl } from '../../src/util/base-url';

/**
 * `npm start`'s reading of its environment. As for the service (src/config/parse-env.ts), a
 * variable set to '' is unset: an empty line copied from .env.example means "the default".
 */
export function setting(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name] || undefined;
}

/**
 * The API's address and what derives from it, unless set: the public base URL (without trailing
 * slashes, since paths are appended to it), the OAuth redirect URI and the sender.
 */
export function apiSettings(
  env: NodeJS.ProcessEnv,
): Record<'PORT' | 'PUBLIC_BASE_URL' | 'ZOOM_REDIRECT_URI' | 'MAIL_FROM', string> {
  const port = Number(setting(env, 'PORT') ?? 3000);
  const publicBaseUrl = trimBaseUrl(setting(env, 'PUBLIC_BASE_URL') ?? `http://127.0.0.1:${port}`);
  return {
    PORT: String(port),
    PUBLIC_BASE_URL: publicBaseUrl,
    ZOOM_REDIRECT_URI: setting(env, 'ZOOM_REDIRECT_URI') ?? `${publicBaseUrl}/integrations/zoom/callback`,
    MAIL_FROM: setting(env, 'MAIL_FROM') ?? 'lessons@tutor-meetings.test',
  };
}

/** Where a local Temporal UI finds the API's codec server (src/api/codec). */
export const codecEndpoint = (publicBaseUrl: string): string => `${publicBaseUrl}/codec`;

/**
 * The origins the codec server lets a local Temporal UI call it from, unless CODEC_CORS_ORIGINS is
 * set: the UI's own, under both loopback names, as a browser may open either.
 */
export function localCodecOrigins(env: NodeJS.ProcessEnv, uiUrl: string): string {
  const configured = setting(env, 'CODEC_CORS_ORIGINS');
  if (configured) return configured;
  const { origin } = new URL(uiUrl);
  const alias = origin.includes('127.0.0.1')
    ? origin.replace('127.0.0.1', 'localhost')
    : origin.replace('localhost', '127.0.0.1');
  return [...new Set([origin, alias])].join(',');
}
