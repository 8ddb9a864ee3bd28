import { z } from 'zod';
import { envField } from '../../config/parse-env';
import { trimBaseUrl } from '../../util/base-url';

export const sendgridEnv = z.object({
  SENDGRID_API_KEY: envField.secret(8),
  SENDGRID_API_BASE_URL: envField.url().default('https://api.sendgrid.com'),
  MAIL_FROM: z.email({ message: 'must be an email address' }),
  MAIL_FROM_NAME: z.string().default('Online lessons'),
  SENDGRID_SANDBOX: envField.boolean().default(false),
  SENDGRID_TIMEOUT_MS: envField.positiveInt().default(10_000),
  /** The Signed Event Webhook's verification key (base64 DER or PEM); enables POST /webhooks/sendgrid. */
  SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY: z.string().min(40).optional(),
  /** How long a send whose answer was lost waits for SendGrid's event before it is sent again. */
  SENDGRID_EVENT_GRACE_SECONDS: z.coerce.number().int().min(0).default(300),
});
export type SendgridEnv = z.infer<typeof sendgridEnv>;

export interface SendgridConfig {
  apiKey: string;
  baseUrl: string;
  from: { email: string; name: string };
  sandbox: boolean;
  timeoutMs: number;
}

/** With no event webhook nothing can confirm a lost answer, so there is nothing to wait for. */
export const confirmationGraceMs = (env: SendgridEnv): number =>
  env.SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY ? env.SENDGRID_EVENT_GRACE_SECONDS * 1000 : 0;

export function sendgridConfigFromEnv(env: SendgridEnv): SendgridConfig {
  return {
    apiKey: env.SENDGRID_API_KEY,
    baseUrl: trimBaseUrl(env.SENDGRID_API_BASE_URL),
    from: { email: env.MAIL_FROM, name: env.MAIL_FROM_NAME },
    sandbox: env.SENDGRID_SANDBOX,
    timeoutMs: env.SENDGRID_TIMEOUT_MS,
  };
}
