import { Counter, type Registry } from 'prom-client';
import type { EmailSendEvent } from '../services/email/send-once';

/**
 * `email_sends_total{outcome}`: how the ledger's sends end. `unconfirmed` (an answer lost after
 * the request was written) and `confirmed_by_event` show how often SendGrid's events spared a
 * repeat; `held` counts retries that found the key taken or waiting for its event.
 */
export function emailSendCounter(registry: Registry): (event: EmailSendEvent, count?: number) => void {
  const sends = new Counter({
    name: 'email_sends_total',
    help: 'Email sends through the ledger, by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  return (event, count = 1) => sends.inc({ outcome: event }, count);
}
