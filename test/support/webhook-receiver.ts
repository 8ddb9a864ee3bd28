import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export interface ReceivedEvent {
  headers: IncomingHttpHeaders;
  body: string;
  /** The Standard Webhooks reference verification's answer: the payload, or why it refused. */
  verified: boolean;
  error?: string;
  payload?: { type: string; timestamp: string; data: Record<string, unknown> };
  answered: number;
}

/**
 * The platform's side in tests: every request is verified with the reference library's
 * Webhook.verify, as the platform would, and answered 204 (or 500 while told to fail).
 */
export async function startWebhookReceiver() {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const verifier = new Webhook(secret);
  const received: ReceivedEvent[] = [];
  let failures = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const answered = failures > 0 ? (failures--, 500) : 204;
      const entry: ReceivedEvent = { headers: req.headers, body, verified: false, answered };
      try {
        entry.payload = verifier.verify(
          body,
          req.headers as Record<string, string>,
        ) as ReceivedEvent['payload'];
        entry.verified = true;
      } catch (error) {
        entry.error = (error as Error).message;
      }
      received.push(entry);
      res.statusCode = answered;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  /** The delivered (2xx) events of a type, their data matching `where`. */
  const delivered = (type: string, where: Record<string, unknown> = {}) =>
    received.filter(
      (r) =>
        r.answered < 300 &&
        r.payload?.type === type &&
        Object.entries(where).every(([key, value]) => r.payload?.data[key] === value),
    );
  return {
    url: `http://127.0.0.1:${port}/platform/events`,
    secret,
    received,
    /** The next `count` requests are answered 500. */
    failNext(count: number) {
      failures = count;
    },
    /** What was received for one webhook-id, in order. */
    attemptsOf: (id: string) => received.filter((r) => r.headers['webhook-id'] === id),
    delivered,
    /** Waits for the first delivered event of a type whose data matches `where`; answers its data. */
    async deliveredData(type: string, where: Record<string, unknown>, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = delivered(type, where)[0];
        if (found) return found.payload!.data;
        if (Date.now() > deadline) throw new Error(`no ${type} ${JSON.stringify(where)} was delivered`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A stack's settings that send its events to `receiver`, looked for every second. */
export const platformEventsEnv = (receiver: WebhookReceiver): Record<string, string> => ({
  PLATFORM_WEBHOOK_URL: receiver.url,
  PLATFORM_WEBHOOK_SECRET: receiver.secret,
  PLATFORM_EVENTS_POLL_SECONDS: '1',
  PLATFORM_EVENTS_RETRY_SECONDS: '1',
});

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
