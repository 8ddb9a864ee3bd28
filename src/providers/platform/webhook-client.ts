import { Webhook } from 'standardwebhooks';
import { providerFetch, type Classifier } from '../http';

/** One event as the platform receives it: the Standard Webhooks body, and its `webhook-id`. */
export interface OutgoingEvent {
  id: string;
  type: string;
  /** When the change happened (the body's `timestamp`). */
  occurredAt: Date;
  data: Record<string, unknown>;
}

export interface PlatformWebhookClientConfig {
  url: string;
  /** `whsec_<base64>` */
  secret: string;
  timeoutMs: number;
}

/** Every answer but a 2xx is a failed delivery; the outbox retries them all, 4xx included. */
const classifyPlatform: Classifier = ({ status, call }) => ({
  kind: 'rejected',
  message: `${call} answered ${status}`,
});

/**
 * Posts events to the platform, signed as the Standard Webhooks specification says, with its
 * reference library: `webhook-id` (the same on every attempt), `webhook-timestamp` (this attempt's
 * second) and `webhook-signature` over `id.timestamp.body`. Throws a ProviderError on any failure.
 */
export function createPlatformWebhookClient(config: PlatformWebhookClientConfig) {
  const signer = new Webhook(config.secret);
  return {
    async send(event: OutgoingEvent, now: Date): Promise<void> {
      const body = JSON.stringify({
        type: event.type,
        timestamp: event.occurredAt.toISOString(),
        data: event.data,
      });
      await providerFetch(
        {
          provider: 'platform',
          method: 'POST',
          url: config.url,
          headers: {
            'webhook-id': event.id,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': signer.sign(event.id, now, body),
          },
          rawJson: body,
          timeoutMs: config.timeoutMs,
        },
        classifyPlatform,
      );
    },
  };
}
export type PlatformWebhookClient = ReturnType<typeof createPlatformWebhookClient>;
