import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { EVENT_SIGNATURE_HEADER, EVENT_TIMESTAMP_HEADER, signEventBatch } from './event-signing';
import type { OutboxMessage } from './outbox';

/**
 * SendGrid's Signed Event Webhook: after a message is accepted, its events (processed, then
 * delivered) are POSTed as a JSON array to the configured URL, with the message's custom args as
 * top-level fields, signed with the account's ECDSA P-256 key. Like SendGrid, it batches: events
 * wait up to `batchWindowMs` (SendGrid: up to 30 s) or until a batch is full. A delivery that
 * fails (non-2xx, no answer) is tried again with growing delays, here for about 4 minutes.
 */
export interface EventWebhookStats {
  delivered: number;
  failedAttempts: number;
  gaveUp: number;
  pending: number;
}

const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000];
const TIMEOUT_MS = 10_000;
const BATCH_WINDOW_MS = 200;
const MAX_BATCH = 1000;

export type SendGridEvent = Record<string, unknown>;

export function messageEvents(message: OutboxMessage, xMessageId: string): SendGridEvent[] {
  const timestamp = Math.floor(Date.parse(message.receivedAt) / 1000);
  return message.to.flatMap((email, index) =>
    ['processed', 'delivered'].map((event) => ({
      ...message.customArgs,
      email,
      timestamp,
      event,
      'smtp-id': `<${xMessageId}@emulator.sendgrid.test>`,
      sg_event_id: randomBytes(16).toString('base64url'),
      sg_message_id: `${xMessageId}.emulator.${index}`,
      category: message.categories,
      ...(event === 'delivered' ? { response: '250 OK' } : {}),
    })),
  );
}

/** A signing key kept as text (base64 PKCS#8 DER), for the embedded stack's secrets file. */
export const newSigningKey = (): string =>
  generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .privateKey.export({ format: 'der', type: 'pkcs8' })
    .toString('base64');
export const signingKeyFrom = (base64: string): KeyObject =>
  createPrivateKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'pkcs8' });
/** The verification key as SendGrid's settings show it: base64 DER (SubjectPublicKeyInfo). */
export const verificationKeyOf = (privateKey: KeyObject): string =>
  createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64');

export class EventWebhook {
  readonly privateKey: KeyObject;
  /** The verification key as SendGrid's settings show it: base64 DER (SubjectPublicKeyInfo). */
  readonly publicKey: string;
  url: string | undefined;
  private readonly stats = { delivered: 0, failedAttempts: 0, gaveUp: 0 };
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private closed = false;
  private batch: SendGridEvent[] = [];
  private batchTimer: NodeJS.Timeout | undefined;
  private readonly batchWindowMs: number;

  constructor(options: { url?: string; privateKey?: KeyObject; batchWindowMs?: number } = {}) {
    this.batchWindowMs = options.batchWindowMs ?? BATCH_WINDOW_MS;
    this.privateKey =
      options.privateKey ?? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    this.publicKey = createPublicKey(this.privateKey)
      .export({ format: 'der', type: 'spki' })
      .toString('base64');
    this.url = options.url;
  }

  /** Adds events to the next batch; nothing is kept while no URL is configured. */
  post(events: SendGridEvent[]): void {
    if (!this.url || this.closed) return;
    this.batch.push(...events);
    if (this.batch.length >= MAX_BATCH) this.flush();
    else this.batchTimer ??= setTimeout(() => this.flush(), this.batchWindowMs);
  }

  counts(): EventWebhookStats {
    return { ...this.stats, pending: this.timers.size + this.inFlight + (this.batch.length ? 1 : 0) };
  }

  private flush(): void {
    clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    const events = this.batch;
    this.batch = [];
    if (this.url && events.length) this.schedule(this.url, JSON.stringify(events), 0);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.batchTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(url: string, body: string, attempt: number): void {
    if (this.closed) return;
    const delay = attempt === 0 ? 0 : RETRY_DELAYS_MS[attempt - 1];
    if (delay === undefined) {
      this.stats.gaveUp++;
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.inFlight++;
      void this.deliver(url, body).then((ok) => {
        this.inFlight--;
        if (ok) this.stats.delivered++;
        else {
          this.stats.failedAttempts++;
          this.schedule(url, body, attempt + 1);
        }
      });
    }, delay);
    this.timers.add(timer);
  }

  private async deliver(url: string, body: string): Promise<boolean> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'SendGrid Event API',
          [EVENT_SIGNATURE_HEADER]: signEventBatch(this.privateKey, timestamp, body),
          [EVENT_TIMESTAMP_HEADER]: timestamp,
        },
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }
}
