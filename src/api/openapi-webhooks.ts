import { z } from 'zod';
import { platformEventCatalog } from '../services/platform-events/event-types';

type JsonSchemaOf = (schema: z.ZodType) => Record<string, unknown>;

/** The Standard Webhooks headers every event carries. */
const headers = [
  ['webhook-id', "The event's id: the same on every attempt, so a repeat can be dropped"],
  ['webhook-timestamp', "This attempt's Unix time in seconds: refuse one more than 5 minutes away"],
  ['webhook-signature', 'v1,<base64 HMAC-SHA256 of "id.timestamp.body"> keyed with PLATFORM_WEBHOOK_SECRET'],
].map(([name, description]) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema: { type: 'string' },
}));

export const standardWebhooksScheme = {
  type: 'apiKey',
  in: 'header',
  name: 'webhook-signature',
  description:
    'Standard Webhooks signature (https://www.standardwebhooks.com): verify it with a library that implements the specification, such as `standardwebhooks` (npm, PHP, …), and PLATFORM_WEBHOOK_SECRET',
};

/**
 * OpenAPI 3.1 `webhooks`: each event the service posts to PLATFORM_WEBHOOK_URL, with its body
 * `{ type, timestamp, data }`. Any answer but a 2xx is retried, with backoff, for
 * PLATFORM_EVENTS_DELIVERY_HOURS (72).
 */
export function platformEventWebhooks(jsonSchema: JsonSchemaOf): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(platformEventCatalog).map(([type, event]) => {
      const body = z.object({
        type: z.literal(type),
        timestamp: z.iso.datetime({ offset: true }).describe('When the change happened'),
        data: event.data,
      });
      const operation = {
        summary: event.summary,
        tags: ['platform events'],
        security: [{ standardWebhooks: [] }],
        parameters: headers,
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } },
        responses: {
          '2XX': { description: 'received: not sent again' },
          default: { description: 'not received: the same webhook-id is sent again later, signed afresh' },
        },
      };
      return [type, { post: operation }];
    }),
  );
}
