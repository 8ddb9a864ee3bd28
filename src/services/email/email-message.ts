/** A rendered email, provider-neutral; the SendGrid mailer turns it into a v3 mail/send body. */
export interface EmailAttachment {
  filename: string;
  type: string; // MIME type, e.g. text/calendar; method=REQUEST
  content: string; // the file's text; the mailer base64-encodes it
}

export interface EmailMessage {
  to: { email: string; name?: string };
  subject: string;
  text: string;
  html: string;
  attachments?: EmailAttachment[];
  categories?: string[];
  customArgs?: Record<string, string>;
}

/** The part of the mailer the email services need; src/providers/sendgrid implements it. */
export interface Mailer {
  send(message: EmailMessage): Promise<{ messageId: string | null }>;
}
