import { randomBytes, type KeyObject } from 'node:crypto';
import type { EmulatorClock } from '../kit/clock';
import { startEmulator, type EmulatorResponse, type Route, type RunningEmulator } from '../kit/server';
import { EventWebhook, messageEvents } from './event-webhook';
import { Outbox, type OutboxMessage } from './outbox';
import { outboxListPage, outboxMessagePage } from './outbox-pages';
import { isSandbox, validateMail, type FieldError } from './validate-mail';

export interface SendGridEmulatorOptions {
  /** The accepted key; when unset any key that starts with `SG.` is accepted. */
  apiKey?: string;
  /** Verified sender addresses; any sender when unset. */
  verifiedSenders?: string[];
  outboxSize?: number;
  port?: number;
  host?: string;
  stateFile?: string;
  clock?: EmulatorClock;
  requestLogSize?: number;
  /** Where the Signed Event Webhook posts each accepted message's events; none when unset. */
  eventWebhookUrl?: string;
  /** The event webhook's ECDSA P-256 signing key; a new one when unset. */
  eventSigningKey?: KeyObject;
}

export type SendGridEmulator = RunningEmulator & {
  apiBaseUrl: string;
  outboxUrl: string;
  outbox(): OutboxMessage[];
  outboxTotal(): number;
  /** The event webhook: its verification key (base64 DER), its URL and its delivery counts. */
  eventWebhook: EventWebhook;
};

const MAX_BYTES = 30 * 1024 * 1024;
const errors = (status: number, list: FieldError[], headers?: Record<string, string>): EmulatorResponse => ({
  status,
  body: { errors: list },
  ...(headers ? { headers } : {}),
});
const one = (message: string, field: string | null = null): FieldError[] => [{ message, field, help: null }];

/** Starts the SendGrid emulator: POST /v3/mail/send, and an outbox at /outbox to read what was sent. */
export async function startSendGridEmulator(
  options: SendGridEmulatorOptions = {},
): Promise<SendGridEmulator> {
  const outbox = new Outbox(options.outboxSize);
  const eventWebhook = new EventWebhook({
    url: options.eventWebhookUrl,
    privateKey: options.eventSigningKey,
  });
  const keyOk = (header: unknown): boolean => {
    const match = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header) : null;
    return Boolean(match && (options.apiKey ? match[1] === options.apiKey : match[1]?.startsWith('SG.')));
  };

  const routes: Route[] = [
    {
      method: 'POST',
      path: '/v3/mail/send',
      handler: ({ req, clock }) => {
        if (!keyOk(req.headers.authorization))
          return errors(401, one('The provided authorization grant is invalid, expired, or revoked'));
        if (req.rawBody.length > MAX_BYTES)
          return errors(413, one('The JSON payload you have included in your request is too large.'));
        let body: unknown;
        try {
          body = JSON.parse(req.rawBody.toString('utf8'));
        } catch {
          return errors(400, one('Bad Request'));
        }
        const problems = validateMail(body);
        if (problems.length) return errors(400, problems);
        const mail = body as Record<string, unknown>;
        const from = String((mail.from as { email: string }).email);
        if (options.verifiedSenders && !options.verifiedSenders.includes(from)) {
          return errors(
            403,
            one(
              'The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.',
              'from',
            ),
          );
        }
        if (isSandbox(mail)) return { status: 200, text: '', contentType: 'text/plain' };
        const messageId = randomBytes(11).toString('base64url');
        eventWebhook.post(messageEvents(outbox.accept(mail, clock.nowMs()), messageId));
        return {
          status: 202,
          headers: { 'x-message-id': messageId },
          text: '',
          contentType: 'text/plain',
        };
      },
    },
    {
      method: 'GET',
      path: '/outbox',
      handler: () => ({ status: 200, text: outboxListPage(outbox.messages, outbox.total) }),
    },
    {
      method: 'GET',
      path: '/outbox/:id',
      handler: ({ params }) => {
        const message = outbox.messages.find((m) => m.id === params.id);
        return message
          ? { status: 200, text: outboxMessagePage(message) }
          : { status: 404, text: 'No such message' };
      },
    },
    {
      method: 'GET',
      path: '/outbox/:id/html',
      handler: ({ params }) => {
        const message = outbox.messages.find((m) => m.id === params.id);
        return message ? { status: 200, text: message.html } : { status: 404, text: 'No such message' };
      },
    },
  ];

  const controlRoutes: Route[] = [
    {
      method: 'GET',
      path: '/_emulator/outbox',
      handler: ({ req }) => {
        const arg = req.query.get('customArg')?.split('=') as [string, string] | undefined;
        const messages = outbox.find({
          to: req.query.get('to') ?? undefined,
          subject: req.query.get('subject') ?? undefined,
          customArg: arg,
        });
        return { status: 200, body: { total: outbox.total, messages } };
      },
    },
  ];

  const running = await startEmulator(
    {
      name: 'SendGrid',
      routes,
      controlRoutes,
      errorBody: (status, message) => ({ errors: one(status === 429 ? 'too many requests' : message) }),
      faultHeaders: (status, nowMs): Record<string, string> =>
        status === 429
          ? {
              'x-ratelimit-limit': '600',
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': String(Math.ceil(nowMs / 1000) + 1),
            }
          : {},
      snapshot: () => ({ messages: outbox.messages, total: outbox.total }),
      restore: (state) => {
        const saved = state as { messages?: OutboxMessage[]; total?: number };
        outbox.messages = saved.messages ?? [];
        outbox.total = saved.total ?? outbox.messages.length;
      },
    },
    options,
  );
  const close = running.close;
  return Object.assign(running, {
    close: async () => {
      eventWebhook.close();
      await close();
    },
    eventWebhook,
    apiBaseUrl: running.url,
    outboxUrl: `${running.url}/outbox`,
    outbox: () => [...outbox.messages],
    outboxTotal: () => outbox.total,
  });
}
