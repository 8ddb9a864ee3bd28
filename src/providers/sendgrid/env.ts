import { z } from 'zod';
import { envField } from '../../config/parse-env';
import { trimBaseUrl } from '../http';

export const sendgridEnv = z.object({
  SENDGRID_API_KEY: envField.secret(8),
  SENDGRID_API_BASE_URL: envField.url().default('https://api.sendgrid.com'),
  MAIL_FROM: z.email({ message: 'must be an email address' }),
  MAIL_FROM_NAME: z.string().default('Online lessons'),
  SENDGRID_SANDBOX: envField.boolean().default(false),
  SENDGRID_TIMEOUT_MS: envField.positiveInt().default(10_000),
});
export type SendgridEnv = z.infer<typeof sendgridEnv>;

export interface SendgridConfig {
  apiKey: string;
  baseUrl: string;
  from: { email: string; name: string };
  sandbox: boolean;
  timeoutMs: number;
}

export function sendgridConfigFromEnv(env: SendgridEnv): SendgridConfig {
  return {
    apiKey: env.SENDGRID_API_KEY,
    baseUrl: trimBaseUrl(env.SENDGRID_API_BASE_URL),
    from: { email: env.MAIL_FROM, name: env.MAIL_FROM_NAME },
    sandbox: env.SENDGRID_SANDBOX,
    timeoutMs: env.SENDGRID_TIMEOUT_MS,
  };
}
