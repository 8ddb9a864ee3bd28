import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import type { SendgridConfig } from './env';
import { sendgridError } from './errors';

export interface MailAttachment {
  filename: string;
  /** MIME type without parameters: SendGrid refuses a `;` in an attachment's type. */
  type: string;
  /** The file's text; the mailer base64-encodes it. */
  content: string;
}

export interface MailMessage {
  to: { email: string; name?: string };
  subject: string;
  text: string;
  html: string;
  attachments?: MailAttachment[];
  /** An invitation: a `text/calendar; method=…` body part (with the ICS's own METHOD) and a file. */
  calendar?: { method: string; ics: string; filename: string };
  /** At most 10. */
  categories?: string[];
  customArgs?: Record<string, string>;
}

export interface SendGridMailer {
  /** 202 (200 in sandbox mode) → SendGrid's X-Message-Id; failures are clean ProviderErrors. */
  send(message: MailMessage): Promise<{ messageId: string | null }>;
}

/**
 * A mailer on @sendgrid/mail with its own MailService and Client, so that two mailers in one
 * process (two base URLs, two keys) never share state.
 */
export function createSendGridMailer(config: SendgridConfig): SendGridMailer {
  const client = new Client();
  client.setApiKey(config.apiKey);
  client.setDefaultRequest('baseUrl', config.baseUrl); // after setApiKey, which resets it
  const mail = new MailService();
  mail.setClient(client);
  mail.setTimeout(config.timeoutMs);

  return {
    async send(message) {
      const { calendar } = message;
      // The invitation as a file too, typed application/ics so that clients that read the body
      // part don't show a second invitation.
      const attachments = [
        ...(calendar
          ? [{ filename: calendar.filename, type: 'application/ics', content: calendar.ics }]
          : []),
        ...(message.attachments ?? []),
      ];
      try {
        const [response] = await mail.send({
          to: message.to,
          from: config.from,
          subject: message.subject,
          // text/plain, then text/html, then the invitation, as SendGrid requires.
          content: [
            { type: 'text/plain', value: message.text },
            { type: 'text/html', value: message.html },
            ...(calendar ? [{ type: `text/calendar; method=${calendar.method}`, value: calendar.ics }] : []),
          ],
          attachments: attachments.length
            ? attachments.map((a) => ({
                filename: a.filename,
                type: a.type,
                content: Buffer.from(a.content).toString('base64'),
                disposition: 'attachment',
              }))
            : undefined,
          categories: message.categories,
          customArgs: message.customArgs,
          mailSettings: config.sandbox ? { sandboxMode: { enable: true } } : undefined,
        });
        const id: unknown = response.headers['x-message-id'];
        return { messageId: typeof id === 'string' ? id : null };
      } catch (error) {
        throw sendgridError(error, [config.apiKey]);
      }
    },
  };
}
