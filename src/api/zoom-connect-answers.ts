import type { Context } from 'koa';
import { STATE_COOKIE } from '../services/zoom-connection/oauth-state';
import { HttpError } from './http-error';

/** How the connect flow's answers reach the browser: the state cookie, and its failures. */
export interface ConnectAnswerSettings {
  /** Where the flow ends on the platform; absent only under `npm start` (its own pages then). */
  platformRedirectUrl?: string;
  secureCookies: boolean;
}

export function setStateCookie(
  ctx: Context,
  settings: ConnectAnswerSettings,
  value: string,
  maxAgeMs: number,
): void {
  // The scheme comes from PUBLIC_BASE_URL, not from how the request reached us: behind a proxy
  // that ends TLS and sends no X-Forwarded-Proto, the request is plain http, yet the browser's is not.
  if (settings.secureCookies) ctx.cookies.secure = true;
  ctx.cookies.set(STATE_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.secureCookies,
    path: '/integrations/zoom',
    overwrite: true,
    maxAge: maxAgeMs,
  });
}

export const clearStateCookie = (ctx: Context, settings: ConnectAnswerSettings): void =>
  setStateCookie(ctx, settings, '', 0);

const FAILURE_STATUS: Record<string, number> = {
  unknown_session: 404,
  used_session: 410,
  expired_session: 410,
  invalid_reconnect_link: 401,
};

/** Redirects back to the platform with the grant's one-time code. */
export function redirectToPlatform(
  ctx: Context,
  platformRedirectUrl: string,
  query: Record<string, string>,
): void {
  const target = new URL(platformRedirectUrl);
  for (const [name, value] of Object.entries(query)) target.searchParams.set(name, value);
  ctx.redirect(target.toString());
}

/** Every failure of the flow: back to the platform with `?zoom=error&reason=`, else a clear 4xx. */
export function failFlow(ctx: Context, settings: ConnectAnswerSettings, reason: string): void {
  clearStateCookie(ctx, settings);
  if (settings.platformRedirectUrl) {
    redirectToPlatform(ctx, settings.platformRedirectUrl, { zoom: 'error', reason });
    return;
  }
  throw new HttpError(
    FAILURE_STATUS[reason] ?? 400,
    reason,
    `Zoom was not connected: ${reason.replace(/_/g, ' ')}`,
  );
}
