import { Webhook } from 'standardwebhooks';

/** One request as the platform's endpoint saw it, with its verification's verdict. */
export interface ReceivedEvent {
  receivedAt: string;
  webhookId: string;
  headers: Record<string, string>;
  body: string;
  /** The reference library's verification (signature, and a timestamp within 5 minutes). */
  verified: boolean;
  error?: string;
  /** This webhook-id was received before: a retry, or a redelivery. */
  repeat: boolean;
}

const SHOWN_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type', 'user-agent'];

/** Every received event, capped (the newest N are kept) with a counter that never drops. */
export class ReceivedEvents {
  events: ReceivedEvent[] = [];
  total = 0;
  private readonly verifier: Webhook | undefined;

  constructor(
    secret: string | undefined,
    private readonly capacity = 1000,
  ) {
    this.verifier = secret ? new Webhook(secret) : undefined;
  }

  receive(
    headers: Record<string, string | string[] | undefined>,
    body: string,
    nowMs: number,
  ): ReceivedEvent {
    const shown = Object.fromEntries(
      SHOWN_HEADERS.filter((name) => typeof headers[name] === 'string').map((name) => [
        name,
        String(headers[name]),
      ]),
    );
    const webhookId = shown['webhook-id'] ?? '';
    const event: ReceivedEvent = {
      receivedAt: new Date(nowMs).toISOString(),
      webhookId,
      headers: shown,
      body,
      verified: false,
      repeat: this.events.some((e) => e.webhookId === webhookId && e.verified),
    };
    try {
      if (!this.verifier) throw new Error('no PLATFORM_WEBHOOK_SECRET: nothing can be verified');
      this.verifier.verify(body, shown);
      event.verified = true;
    } catch (error) {
      event.error = (error as Error).message;
    }
    this.events.push(event);
    this.total++;
    if (this.events.length > this.capacity) this.events.splice(0, this.events.length - this.capacity);
    return event;
  }
}
