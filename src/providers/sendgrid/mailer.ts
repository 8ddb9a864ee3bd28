import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import type { EmailMessage, Mailer } from '../../services/email/email-message';
import { parseRetryAfter, transientByStatus } from '../http';
import { ProviderError } from '../provider-error';
import type { SendgridConfig } from './env';

interface SendGridFailure {
  code?: number | string;
  response?: {
    headers?: Record<string, string>;
    body?: { errors?: Array<{ message?: string; field?: string }> };
  };
}

/**
 * @sendgrid/mail's errors carry the request, Authorization header included: this turns them into
 * a clean ProviderError (status, SendGrid's messages, retry delay) and drops the original object.
 */
export function toProviderError(error: unknown): ProviderError {
  const failure = error as SendGridFailure;
  const status = typeof failure.code === 'number' ? failure.code : undefined;
  if (status === undefined) {
    return new ProviderError({
      provider: 'sendgrid',
      kind: 'transient',
      message: 'mail/send failed: network error or timeout',
    });
  }
  const headers = failure.response?.headers ?? {};
  const messages = (failure.response?.body?.errors ?? [])
    .map((e) => (e.field ? `${e.field}: ${e.message}` : e.message))
    .join('; ');
  const reset = headers['x-ratelimit-reset'];
  const retryAfterMs =
    parseRetryAfter(headers['retry-after']) ??
    (reset ? Math.max(0, Number(reset) * 1000 - Date.now()) : undefined);
  return new ProviderError({
    provider: 'sendgrid',
    kind: transientByStatus(status) ? 'transient' : 'rejected',
    status,
    message: `mail/send answered ${status}${messages ? `: ${messages}` : ''}`,
    retryAfterMs,
  });
}

export function createSendGridMailer(config: SendgridConfig): Mailer {
  const client = new Client();
  client.setApiKey(config.apiKey);
  client.setDefaultRequest('baseUrl', config.baseUrl); // after setApiKey, which resets it
  const mail = new MailService();
  mail.setClient(client);
  mail.setTimeout(config.timeoutMs);

  return {
    async send(message: EmailMessage) {
      try {
        const [response] = await mail.send({
          to: message.to,
          from: config.from,
          subject: message.subject,
          content: [
            { type: 'text/plain', value: message.text },
            { type: 'text/html', value: message.html },
          ],
          attachments: message.attachments?.map((a) => ({
            filename: a.filename,
            type: a.type,
            content: Buffer.from(a.content).toString('base64'),
            disposition: 'attachment',
          })),
          categories: message.categories,
          customArgs: message.customArgs,
          mailSettings: config.sandbox ? { sandboxMode: { enable: true } } : undefined,
        });
        const id = response.headers['x-message-id'];
        return { messageId: typeof id === 'string' ? id : null };
      } catch (error) {
        throw toProviderError(error);
      }
    },
  };
}
