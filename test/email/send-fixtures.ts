import { ProviderError } from '../../src/providers/provider-error';
import type { EmailMessage } from '../../src/services/email/email-message';

/** A message whose content does not matter to the ledger tests. */
export const sampleMessage: EmailMessage = {
  to: { email: 'ada@example.com' },
  subject: 'Hi',
  text: 't',
  html: '<p>h</p>',
};

/** SendGrid failures as the mailer reports them. */
export const sendgridFailures = {
  timedOut: () =>
    new ProviderError({ provider: 'sendgrid', kind: 'transient', code: 'timeout', message: 'timed out' }),
  answered503: () =>
    new ProviderError({ provider: 'sendgrid', kind: 'transient', status: 503, message: 'answered 503' }),
  refused: () =>
    new ProviderError({ provider: 'sendgrid', kind: 'transient', code: 'ECONNREFUSED', message: 'refused' }),
};
