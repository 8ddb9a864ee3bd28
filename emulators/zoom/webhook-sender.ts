import { createHmac, randomBytes } from 'node:crypto';
import { newTrackingId } from './replies';

/**
 * Sends webhooks as Zoom does: JSON `{event, event_ts, payload}` signed with
 * `x-zm-signature = "v0=" + hex(HMAC_SHA256(secret, "v0:" + ts + ":" + rawBody))`, with
 * `x-zm-request-timestamp` (Unix seconds), `x-zm-trackingid`, and on older apps the legacy
 * `authorization: <verification token>`. Timestamps come from the wall clock by default, because
 * the receiver checks freshness against its own clock.
 */

export interface ZoomWebhookEvent {
  event: string;
  event_ts: number;
  payload: Record<string, unknown>;
}

export interface WebhookSenderOptions {
  secretToken: string;
  verificationToken?: string;
  now?: () => number;
  /** Zoom gives up on an answer after 3 seconds. */
  timeoutMs?: number;
}

export interface DeliveryOptions {
  /** 'bad' signs with a wrong secret, 'none' leaves the signature header out. */
  signature?: 'valid' | 'bad' | 'none';
  /** Moves the signed timestamp; a negative value makes a stale delivery. */
  timestampSkewSeconds?: number;
  /** Sends the legacy `authorization` header; by default when a verification token is set. */
  legacyAuthorization?: boolean;
}

export interface Delivery {
  url: string;
  event: string;
  rawBody: string;
  headers: Record<string, string>;
  status?: number;
  responseText?: string;
  error?: string;
  durationMs: number;
}

export interface AppDeauthorized {
  accountId: string;
  userId: string;
  clientId: string;
  userDataRetention?: boolean;
  deauthorizationTime?: string;
}

export interface UrlValidationResult {
  ok: boolean;
  plainToken: string;
  expectedEncryptedToken: string;
  received?: unknown;
  delivery: Delivery;
}

export const zoomSignature = (secret: string, timestamp: string, rawBody: string): string =>
  `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;

export const encryptPlainToken = (secret: string, plainToken: string): string =>
  createHmac('sha256', secret).update(plainToken).digest('hex');

export class ZoomWebhookSender {
  private readonly now: () => number;

  constructor(private readonly options: WebhookSenderOptions) {
    this.now = options.now ?? Date.now;
  }

  event(event: string, payload: Record<string, unknown>): ZoomWebhookEvent {
    return { event, event_ts: this.now(), payload };
  }

  /** The exact bytes and headers of a delivery, without sending it. */
  build(
    event: ZoomWebhookEvent,
    options: DeliveryOptions = {},
  ): { rawBody: string; headers: Record<string, string> } {
    const rawBody = JSON.stringify(event);
    const timestamp = String(Math.floor(this.now() / 1000) + (options.timestampSkewSeconds ?? 0));
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Zoom Marketplace/1.0a',
      'x-zm-request-timestamp': timestamp,
      'x-zm-trackingid': newTrackingId(),
    };
    const signature = options.signature ?? 'valid';
    if (signature !== 'none') {
      const secret = signature === 'valid' ? this.options.secretToken : `${this.options.secretToken}-wrong`;
      headers['x-zm-signature'] = zoomSignature(secret, timestamp, rawBody);
    }
    const legacy = options.legacyAuthorization ?? this.options.verificationToken !== undefined;
    if (legacy && this.options.verificationToken) headers.authorization = this.options.verificationToken;
    return { rawBody, headers };
  }

  /** POSTs one event; never throws: a failure is recorded in the delivery. */
  async deliver(url: string, event: ZoomWebhookEvent, options: DeliveryOptions = {}): Promise<Delivery> {
    const { rawBody, headers } = this.build(event, options);
    const started = Date.now();
    const delivery: Delivery = { url, event: event.event, rawBody, headers, durationMs: 0 };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: rawBody,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 3000),
      });
      delivery.status = response.status;
      delivery.responseText = await response.text();
    } catch (error) {
      delivery.error = error instanceof Error ? error.message : String(error);
    }
    delivery.durationMs = Date.now() - started;
    return delivery;
  }

  appDeauthorizedEvent(input: AppDeauthorized): ZoomWebhookEvent {
    const deauthorizationTime = input.deauthorizationTime ?? new Date(this.now()).toISOString();
    const signature = createHmac('sha256', this.options.secretToken)
      .update(`${input.accountId}:${input.userId}:${deauthorizationTime}`)
      .digest('hex');
    return this.event('app_deauthorized', {
      account_id: input.accountId,
      user_id: input.userId,
      signature,
      deauthorization_time: deauthorizationTime,
      client_id: input.clientId,
      // Zoom sends this boolean as a string.
      user_data_retention: String(input.userDataRetention ?? false),
    });
  }

  sendAppDeauthorized(url: string, input: AppDeauthorized, options?: DeliveryOptions): Promise<Delivery> {
    return this.deliver(url, this.appDeauthorizedEvent(input), options);
  }

  /** Zoom's endpoint check: posts a plainToken and checks the answer's encryptedToken. */
  async validateUrl(
    url: string,
    options: DeliveryOptions & { plainToken?: string } = {},
  ): Promise<UrlValidationResult> {
    const plainToken = options.plainToken ?? randomBytes(16).toString('base64url');
    const expectedEncryptedToken = encryptPlainToken(this.options.secretToken, plainToken);
    const delivery = await this.deliver(url, this.event('endpoint.url_validation', { plainToken }), options);
    let received: unknown;
    try {
      received = delivery.responseText ? JSON.parse(delivery.responseText) : undefined;
    } catch {
      received = delivery.responseText;
    }
    const answer = received as { plainToken?: unknown; encryptedToken?: unknown } | undefined;
    const ok =
      delivery.status === 200 &&
      answer?.plainToken === plainToken &&
      answer.encryptedToken === expectedEncryptedToken;
    return { ok, plainToken, expectedEncryptedToken, received, delivery };
  }
}
