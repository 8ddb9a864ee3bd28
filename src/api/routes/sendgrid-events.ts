import Router from '@koa/router';
import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../../logger';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyEventSignature,
} from '../../providers/sendgrid/event-signature';
import { IDEMPOTENCY_KEY_ARG } from '../../services/email/send-once';
import { safeText } from '../../schemas/text';
import { HttpError } from '../http-error';
import { parseSignedBody, readRawBody } from '../raw-body';
import { defineRoute, mount, type ApiArea } from '../route';

export interface SendGridEventDeps {
  /** Unset: the event webhook is not enabled, and every delivery is refused. */
  publicKey?: KeyObject;
  logger: Logger;
  /** Confirms the ledger rows of sends whose answer was lost; how many it changed. */
  confirmSends(messages: Array<{ idempotencyKey: string; messageId: string | null }>): Promise<number>;
}

/** SendGrid batches events; its batches stay far below this. */
const BODY_LIMIT = 2 * 1024 * 1024;
/** Events that say SendGrid will not deliver: worth an operator's look. */
const UNDELIVERED = new Set(['dropped', 'bounce']);

const MAX_KEY = 500;
/** SendGrid's message ids run to some 60 characters; room to spare, since a refused id loses a confirmation. */
const MAX_MESSAGE_ID = 256;

/** What the ledger reads from one of our events, each field checked as every edge checks its ids. */
const ourFields = {
  [IDEMPOTENCY_KEY_ARG]: safeText(MAX_KEY),
  sg_message_id: safeText(MAX_MESSAGE_ID).optional(),
};
const ourEvent = z.object(ourFields);

// Custom args arrive as top-level fields of each event, beside SendGrid's own. This documents
// the shape; the route reads each event on its own, so that one odd event (another app's, or a
// bad one of ours) never makes SendGrid re-send a whole batch for a day.
const sendgridEvent = z
  .object({
    event: z.string().min(1),
    ...ourFields,
    [IDEMPOTENCY_KEY_ARG]: ourFields[IDEMPOTENCY_KEY_ARG].optional(),
  })
  .loose();
const sendgridEvents = z.array(sendgridEvent).min(1);
const anyEvents = z.array(z.record(z.string(), z.unknown())).min(1);

const route = defineRoute({
  method: 'post',
  path: '/webhooks/sendgrid',
  summary: "SendGrid's Signed Event Webhook: confirms sends whose answer was lost",
  tag: 'email',
  security: 'sendgridSignature',
  rawBody: sendgridEvents,
  responses: {
    200: {
      description: 'acknowledged',
      schema: z.object({ received: z.number().int(), confirmed: z.number().int() }),
    },
    400: { description: 'signed but malformed' },
    401: {
      description: 'signature check failed; nothing changed (without the headers, before the body is read)',
    },
    404: { description: 'the event webhook is not enabled (SENDGRID_EVENT_WEBHOOK_PUBLIC_KEY)' },
  },
});

/** The X-Message-Id SendGrid answered with is the part of `sg_message_id` before its first dot. */
const messageIdOf = (sgMessageId: string | undefined): string | null => sgMessageId?.split('.')[0] || null;

export function createSendGridEventsArea(deps: SendGridEventDeps): ApiArea {
  const router = new Router();

  mount(router, route, async (ctx) => {
    const { publicKey } = deps;
    if (!publicKey) throw new HttpError(404, 'not_enabled', 'The SendGrid event webhook is not enabled');
    const signature = ctx.get(SIGNATURE_HEADER);
    const timestamp = ctx.get(TIMESTAMP_HEADER);
    // Without the headers no batch can pass: refused before a byte of it is read.
    if (!signature || !timestamp)
      throw new HttpError(401, 'invalid_signature', 'Webhook rejected: missing signature or timestamp');
    const rawBody = await readRawBody(ctx, BODY_LIMIT);
    // No freshness check on the timestamp: SendGrid re-sends failed deliveries for hours, and a
    // replayed event can only confirm a send that SendGrid really accepted.
    const valid = verifyEventSignature({ publicKey, signature, timestamp, rawBody });
    if (!valid) throw new HttpError(401, 'invalid_signature', 'Webhook rejected: bad signature');

    const events = parseSignedBody(rawBody, anyEvents, 'a list of SendGrid events');

    // Any event for a message means SendGrid accepted it, even one it will not deliver; one
    // confirmation per message is enough (a batch often holds its processed and delivered).
    const messages = new Map<string, string | null>();
    events.forEach((event, index) => {
      // Not one of ours: a test send, another app on the account.
      if (event[IDEMPOTENCY_KEY_ARG] === undefined) return;
      const ours = ourEvent.safeParse(event);
      if (!ours.success) {
        // Its fields are not logged: they are what was wrong (a NUL, 10,000 characters).
        const fields = [...new Set(ours.error.issues.map((issue) => issue.path.join('.')))];
        deps.logger.warn({ index, fields }, 'a SendGrid event with a malformed field was skipped');
        return;
      }
      const idempotencyKey = ours.data[IDEMPOTENCY_KEY_ARG];
      if (!messages.has(idempotencyKey)) messages.set(idempotencyKey, messageIdOf(ours.data.sg_message_id));
      if (typeof event.event === 'string' && UNDELIVERED.has(event.event))
        deps.logger.warn({ event: event.event, idempotencyKey }, 'SendGrid will not deliver an email');
    });
    const confirmed = await deps.confirmSends(
      [...messages].map(([idempotencyKey, messageId]) => ({ idempotencyKey, messageId })),
    );
    ctx.body = { received: events.length, confirmed };
  });

  return { router, routes: [route] };
}
