import Router from '@koa/router';
import { z } from 'zod';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import {
  encryptPlainToken,
  verifyLegacyToken,
  verifyWebhookSignature,
} from '../../providers/zoom/webhook-signature';
import { HttpError } from '../http-error';
import { parseSignedBody, readRawBody } from '../raw-body';
import { defineRoute, mount, type ApiArea } from '../route';

export interface DeauthorizationEvent {
  zoomUserId: string;
  accountId?: string;
  /**
   * ISO time the app was removed (deauthorization_time, else event_ts, else our receipt): only grants
   * made before it are deleted, so a redelivery after the tutor reconnected harms nothing.
   */
  deauthorizedAt: string;
  /** `user_data_retention: "false"`: delete the Zoom data we keep for that user within 10 days. */
  deleteUserData: boolean;
}

export interface ZoomWebhookDeps {
  secretToken: string;
  verificationToken?: string;
  clock: Clock;
  logger: Logger;
  /** Starts (idempotently) the durable deauthorization workflow. */
  startDeauthorization(event: DeauthorizationEvent): Promise<void>;
}

const webhookEvent = z.object({
  event: z.string().min(1),
  event_ts: z.number().optional(),
  payload: z.record(z.string(), z.unknown()).default({}),
});
const urlValidation = z.object({ plainToken: z.string().min(1).max(512) });
const deauthorization = z.object({
  user_id: z.string().min(1),
  account_id: z.string().optional(),
  deauthorization_time: z.string().optional(),
  user_data_retention: z.union([z.string(), z.boolean()]).optional(),
});

const route = defineRoute({
  method: 'post',
  path: '/webhooks/zoom',
  summary: "Zoom's webhooks: URL validation and app_deauthorized, verified by signature first",
  tag: 'zoom',
  security: 'zoomSignature',
  callsTemporal: true,
  rawBody: webhookEvent,
  responses: {
    200: {
      description: 'acknowledged, or the URL-validation answer',
      schema: z.union([
        z.object({ plainToken: z.string(), encryptedToken: z.string() }),
        z.object({ received: z.literal(true) }),
      ]),
    },
    400: { description: 'signed but malformed' },
    401: {
      description:
        'signature, timestamp or token check failed; nothing changed (without the headers, before the body is read)',
    },
  },
});

/** The first valid of Zoom's deauthorization_time, the event's timestamp (ms) and `receivedAt`. */
function deauthorizationTime(
  stated: string | undefined,
  eventTs: number | undefined,
  receivedAt: Date,
): string {
  for (const candidate of [stated, eventTs]) {
    const time = candidate === undefined ? NaN : new Date(candidate).getTime();
    if (Number.isFinite(time)) return new Date(time).toISOString();
  }
  return receivedAt.toISOString();
}

export function createZoomWebhookArea(deps: ZoomWebhookDeps): ApiArea {
  const router = new Router();

  mount(router, route, async (ctx) => {
    const signature = ctx.get('x-zm-signature') || undefined;
    const timestamp = ctx.get('x-zm-request-timestamp') || undefined;
    // Without the headers no body can pass: refused before a byte of it is read.
    const legacyToken = !signature && deps.verificationToken && ctx.get('authorization');
    if (!(signature && timestamp) && !legacyToken)
      throw new HttpError(
        401,
        'invalid_signature',
        'Webhook rejected: send x-zm-signature and x-zm-request-timestamp',
      );
    const rawBody = await readRawBody(ctx);
    // The signature is checked before anything is answered, the URL-validation challenge included.
    if (signature) {
      const verdict = verifyWebhookSignature({
        secret: deps.secretToken,
        signature,
        timestamp,
        rawBody,
        nowMs: deps.clock.now().getTime(),
      });
      if (verdict !== 'valid')
        throw new HttpError(401, 'invalid_signature', `Webhook rejected: ${verdict.replace('-', ' ')}`);
    } else if (!verifyLegacyToken(deps.verificationToken, ctx.get('authorization') || undefined)) {
      throw new HttpError(
        401,
        'invalid_signature',
        'Webhook rejected: no valid x-zm-signature or verification token',
      );
    }

    const { event, event_ts: eventTs, payload } = parseSignedBody(rawBody, webhookEvent, 'a Zoom event');

    if (event === 'endpoint.url_validation') {
      // Its answer is an HMAC under the signing key, of a plainToken the sender chooses: for the
      // legacy token it would sign any body (`v0:<ts>:<body>`). Zoom signs its challenges.
      if (!signature)
        throw new HttpError(401, 'invalid_signature', 'Webhook rejected: URL validation must be signed');
      const challenge = urlValidation.safeParse(payload);
      if (!challenge.success) throw new HttpError(400, 'invalid_request', 'payload.plainToken is required');
      ctx.body = {
        plainToken: challenge.data.plainToken,
        encryptedToken: encryptPlainToken(deps.secretToken, challenge.data.plainToken),
      };
      return;
    }
    if (event === 'app_deauthorized') {
      const details = deauthorization.safeParse(payload);
      if (!details.success) throw new HttpError(400, 'invalid_request', 'payload.user_id is required');
      await deps.startDeauthorization({
        zoomUserId: details.data.user_id,
        accountId: details.data.account_id,
        deauthorizedAt: deauthorizationTime(details.data.deauthorization_time, eventTs, deps.clock.now()),
        deleteUserData: String(details.data.user_data_retention) === 'false',
      });
    } else {
      deps.logger.debug({ event }, 'Zoom event acknowledged');
    }
    ctx.body = { received: true };
  });

  return { router, routes: [route] };
}
