import Router from '@koa/router';
import { z } from 'zod';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import {
  encryptPlainToken,
  verifyLegacyToken,
  verifyWebhookSignature,
} from '../../providers/zoom/webhook-signature';
import { safeText, textField } from '../../schemas/text';
import { HttpError, invalidRequest } from '../http-error';
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

const MAX_EVENT_NAME = 128;
const webhookEvent = z.object({
  event: safeText(MAX_EVENT_NAME),
  event_ts: z.number().optional(),
  payload: z.record(z.string(), z.unknown()).default({}),
});
const urlValidation = z.object({ plainToken: z.string().min(1).max(512) });
/**
 * A user id too long or with a NUL would start a workflow that fails on every attempt (PostgreSQL
 * can't store it): a 400 instead. Zoom retries a non-2xx only three times, and its delivery log
 * then shows the refusal, which a 200 would hide.
 */
const deauthorization = z.object({
  user_id: textField.zoomUserId(),
  account_id: textField.id().optional(),
  deauthorization_time: safeText(64).optional(),
  user_data_retention: z.union([z.string().max(16), z.boolean()]).optional(),
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
    400: {
      description:
        'signed but malformed, naming the field: an app_deauthorized user_id over 64 characters, or any id or name with a control, bidi or line-separator character (Zoom retries three times, and its delivery log shows the refusal)',
    },
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
      if (!details.success) {
        deps.logger.warn({ event }, 'a signed app_deauthorized event was malformed; refused');
        throw invalidRequest('payload', details.error);
      }
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
