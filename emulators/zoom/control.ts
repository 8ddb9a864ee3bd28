import type { ConsentRequest, Deauthorization, ZoomModel } from './model';
import type { ZoomSettings } from './options';
import type { NewUser, ZoomUser } from './users';
import {
  ZoomWebhookSender,
  type Delivery,
  type DeliveryOptions,
  type UrlValidationResult,
  type ZoomWebhookEvent,
} from './webhook-sender';

export interface DeauthorizeOptions {
  /** Send `app_deauthorized` (default: when a webhook URL is known). */
  sendWebhook?: boolean;
  userDataRetention?: boolean;
  /** Overrides the configured webhook URL for this one delivery. */
  webhookUrl?: string;
  delivery?: DeliveryOptions;
}

export interface DeauthorizeResult {
  userId: string;
  revokedGrants: number;
  delivery?: Delivery;
}

const DELIVERY_LOG_SIZE = 1000;

/**
 * What tests, drills and the dev stack do to the emulated Zoom from outside: users, consent,
 * deauthorization, settings, webhook deliveries. Used in-process and behind /_emulator/zoom/.
 */
export class ZoomControl {
  readonly webhooks: ZoomWebhookSender;
  private readonly deliveryLog: Delivery[] = [];
  private deliveryCount = 0;

  constructor(
    private readonly model: ZoomModel,
    private readonly baseUrl: () => string,
  ) {
    this.webhooks = new ZoomWebhookSender({
      secretToken: model.app.webhookSecretToken,
      verificationToken: model.app.verificationToken,
    });
    // A revoke through /oauth/revoke removes the app, as a user would: tell the service, as Zoom does.
    model.onAppRemoved = (done) => void this.announce(done);
  }

  createUser(input: NewUser = {}): ZoomUser {
    return this.model.createUser(input);
  }

  users(): ZoomUser[] {
    return this.model.users.list();
  }

  deleteUser(idOrEmail: string): boolean {
    return this.model.deleteUser(idOrEmail);
  }

  /** Revokes the user's tokens, then (optionally) tells the service with `app_deauthorized`. */
  async deauthorizeUser(
    idOrEmail: string,
    options: DeauthorizeOptions = {},
  ): Promise<DeauthorizeResult | undefined> {
    const done = this.model.deauthorizeUser(idOrEmail);
    return done && this.announce(done, options);
  }

  /** Sends `app_deauthorized` for a deauthorization (when a webhook URL is known). */
  private async announce(
    done: Deauthorization,
    options: DeauthorizeOptions = {},
  ): Promise<DeauthorizeResult> {
    const result: DeauthorizeResult = { userId: done.user.id, revokedGrants: done.revokedGrants };
    const url = options.webhookUrl ?? this.model.app.webhookUrl;
    if (url && (options.sendWebhook ?? true)) {
      const event = this.webhooks.appDeauthorizedEvent({
        accountId: done.user.account_id,
        userId: done.user.id,
        clientId: this.model.app.clientId,
        userDataRetention: options.userDataRetention,
        deauthorizationTime: done.time,
      });
      result.delivery = await this.sendWebhook(event, { ...options.delivery, url });
    }
    return result;
  }

  revokeToken(token: string): boolean {
    return this.model.revokeToken(token);
  }

  setConsent(request: ConsentRequest): void {
    this.model.setConsent(request);
  }

  settings(): ZoomSettings {
    return { ...this.model.settings };
  }

  updateSettings(changes: Partial<ZoomSettings>): ZoomSettings {
    return this.model.updateSettings(changes);
  }

  meetings(hostIdOrEmail?: string): Array<Record<string, unknown>> {
    return this.model.meetingsFor(this.baseUrl(), hostIdOrEmail);
  }

  /** Counters that never drop: refreshes (total and per user), code exchanges, live tokens… */
  stats(): Record<string, unknown> {
    return { ...this.model.stats(), webhookDeliveries: this.deliveryCount };
  }

  refreshCount(userIdOrEmail?: string): number {
    const { refreshes, refreshesByUser } = this.model.tokens.counts();
    if (userIdOrEmail === undefined) return refreshes;
    const user = this.model.users.find(userIdOrEmail);
    return user ? (refreshesByUser[user.id] ?? 0) : 0;
  }

  /** Sends any event, signed as configured, to the given or configured webhook URL. */
  async sendWebhook(
    event: ZoomWebhookEvent,
    options: DeliveryOptions & { url?: string } = {},
  ): Promise<Delivery> {
    const url = options.url ?? this.model.app.webhookUrl;
    if (!url) throw new Error('No webhook URL: pass one or configure webhookUrl');
    return this.record(await this.webhooks.deliver(url, event, options));
  }

  async validateWebhookUrl(
    options: DeliveryOptions & { url?: string; plainToken?: string } = {},
  ): Promise<UrlValidationResult> {
    const url = options.url ?? this.model.app.webhookUrl;
    if (!url) throw new Error('No webhook URL: pass one or configure webhookUrl');
    const result = await this.webhooks.validateUrl(url, options);
    this.record(result.delivery);
    return result;
  }

  /** The last deliveries, newest last (bounded). */
  deliveries(): Delivery[] {
    return [...this.deliveryLog];
  }

  private record(delivery: Delivery): Delivery {
    this.deliveryCount++;
    this.deliveryLog.push(delivery);
    if (this.deliveryLog.length > DELIVERY_LOG_SIZE) this.deliveryLog.shift();
    return delivery;
  }
}
