/** A rendered email, provider-neutral; the SendGrid mailer turns it into a v3 mail/send body. */
export interface EmailAttachment {
  filename: string;
  type: string; // MIME type without parameters (SendGrid refuses ';'), e.g. application/pdf
  content: string; // the file's text; the mailer base64-encodes it
}

/**
 * A calendar invitation (iMIP, RFC 6047): sent as a `text/calendar; method=…` body part, which
 * Outlook and Gmail need to show it as an invitation, and as a file for the other clients.
 */
export interface EmailCalendar {
  /** The ICS's own METHOD: the MIME part must say the same. */
  method: 'REQUEST' | 'CANCEL';
  ics: string;
  filename: string;
}

export interface EmailMessage {
  to: { email: string; name?: string };
  subject: string;
  text: string;
  html: string;
  attachments?: EmailAttachment[];
  calendar?: EmailCalendar;
  categories?: string[];
  customArgs?: Record<string, string>;
}

/** The part of the mailer the email services need; src/providers/sendgrid implements it. */
export interface Mailer {
  send(message: EmailMessage): Promise<{ messageId: string | null }>;
}
