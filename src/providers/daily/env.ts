import { z } from 'zod';
import { envField } from '../../config/parse-env';
import { trimBaseUrl } from '../../util/base-url';

export const dailyEnv = z.object({
  DAILY_API_KEY: envField.secret(8),
  DAILY_API_BASE_URL: envField.url().default('https://api.daily.co/v1'),
  DAILY_TIMEOUT_MS: envField.positiveInt().default(10_000),
});
export type DailyEnv = z.infer<typeof dailyEnv>;

export interface DailyConfig {
  apiKey: string;
  apiBaseUrl: string;
  timeoutMs: number;
}

export function dailyConfigFromEnv(env: DailyEnv): DailyConfig {
  return {
    apiKey: env.DAILY_API_KEY,
    apiBaseUrl: trimBaseUrl(env.DAILY_API_BASE_URL),
    timeoutMs: env.DAILY_TIMEOUT_MS,
  };
}
