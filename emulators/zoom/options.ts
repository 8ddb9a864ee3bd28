/** Configuration of the Zoom emulator, and the part of it that can change while it runs. */

export type DailyLimitRetryAfter = 'midnight' | { secondsAhead: number };

/** Settings that control routes may change at run time. */
export interface ZoomSettings {
  accessTokenTtlSeconds: number;
  /** Reported as 90 days by most sources (the contract marks it UNSURE). */
  refreshTokenTtlSeconds: number;
  authorizationCodeTtlSeconds: number;
  startUrlTtlSeconds: number;
  /** Meeting create and update share this budget per host per day. */
  dailyMeetingLimit: number;
  /** Requests per second per Zoom user over all REST calls; undefined means no limit. */
  perSecondLimit: number | undefined;
  /**
   * Where the daily limit's ISO `Retry-After` points: Zoom's real GMT midnight, or a few
   * seconds ahead so that tests need not wait (the limit then really lifts at that moment).
   */
  dailyLimitRetryAfter: DailyLimitRetryAfter;
  /** Show an approve/deny page on /oauth/authorize even without `prompt`. */
  consentPage: boolean;
  scope: string;
}

export interface ZoomAppOptions {
  clientId: string;
  clientSecret: string;
  /** Exact-match list; the first is where the consent page's form goes. */
  redirectUris: string[];
  webhookSecretToken: string;
  /** The legacy `authorization` header value sent with webhooks, when set. */
  verificationToken?: string;
  /** Where `app_deauthorized` goes when a user is deauthorized through the control API. */
  webhookUrl?: string;
}

export type ZoomModelOptions = ZoomAppOptions & Partial<ZoomSettings>;

export const DEFAULT_SETTINGS: ZoomSettings = {
  accessTokenTtlSeconds: 3599,
  refreshTokenTtlSeconds: 90 * 24 * 3600,
  authorizationCodeTtlSeconds: 300,
  startUrlTtlSeconds: 7200,
  dailyMeetingLimit: 100,
  perSecondLimit: undefined,
  dailyLimitRetryAfter: { secondsAhead: 5 },
  consentPage: false,
  scope: 'meeting:read meeting:write user:read',
};

export function resolveSettings(options: Partial<ZoomSettings>): ZoomSettings {
  const settings = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof ZoomSettings>) {
    if (options[key] !== undefined) (settings as Record<string, unknown>)[key] = options[key];
  }
  return settings;
}
