import { z } from 'zod';
import type { RouteSpec } from './route';
import { limitKindOf } from './rate-limit/policy';
import { platformEventWebhooks, standardWebhooksScheme } from './openapi-webhooks';

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with
 * (zod's JSON Schema output is draft 2020-12, the dialect OpenAPI 3.1 uses).
 */
const securitySchemes = {
  bookingToken: { type: 'http', scheme: 'bearer', description: 'BOOKING_API_TOKEN of the booking system' },
  platformJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'HS256 JWT from the platform, in this header only: sub is the user id (a number is read as its decimal string; at most 64 characters, no control characters), iat and exp are required, exp − iat and the age at most PLATFORM_JWT_MAX_AGE_SECONDS (300), PLATFORM_JWT_CLOCK_TOLERANCE_SECONDS (30) of skew, aud and iss checked when PLATFORM_JWT_AUDIENCE / PLATFORM_JWT_ISSUER are set',
  },
  zoomSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'x-zm-signature',
    description: "Zoom's HMAC signature of the raw body",
  },
  sendgridSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'x-twilio-email-event-webhook-signature',
    description: "SendGrid's ECDSA signature of the timestamp header and the raw body",
  },
  signedLink: { type: 'apiKey', in: 'query', name: 'sig', description: 'Signature of a join link' },
  standardWebhooks: standardWebhooksScheme,
};

const jsonSchema = (schema: z.ZodType): Record<string, unknown> => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
};

function parameters(where: 'path' | 'query', schema: z.ZodType | undefined): unknown[] {
  if (!schema) return [];
  const shape = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(shape.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (shape.required ?? []).includes(name),
    schema: property,
  }));
}

const errorBody = z.object({ error: z.string(), message: z.string() });

/**
 * What reading a body answers before any handler runs (src/api/raw-body.ts): every body has a size
 * limit; a JSON body (`body`) must also be sent as JSON. A raw webhook body is checked by signature.
 */
function bodyAnswers(route: RouteSpec): RouteSpec['responses'] {
  if (!route.body && !route.rawBody) return {};
  const tooLarge = { 413: { description: 'the body is over its size limit', schema: errorBody } };
  if (!route.body) return tooLarge;
  return { ...tooLarge, 415: { description: 'the body is not application/json', schema: errorBody } };
}

/** Temporal out of reach (src/api/app.ts), on the routes that call it. */
function temporalAnswers(route: RouteSpec): RouteSpec['responses'] {
  if (!route.callsTemporal) return {};
  return {
    503: {
      description: 'Temporal is out of reach: send the same request again after Retry-After seconds',
      schema: errorBody,
    },
  };
}

/** The rate limits (src/api/rate-limit/policy.ts), on the routes they apply to. */
function rateLimitAnswers(route: RouteSpec): RouteSpec['responses'] {
  const kind = limitKindOf(route);
  if (!kind) return {};
  const counted =
    kind === 'unverifiedWebhook' ? 'too many deliveries refused for their signature' : 'too many requests';
  return {
    429: {
      description: `${counted} from this client${kind === 'joinLink' ? ' or for this link' : ''}: try again after Retry-After seconds`,
      schema: errorBody,
    },
  };
}

export const openApiPath = (koaPath: string): string => koaPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

export function buildOpenApiDocument(
  routes: RouteSpec[],
  info: { version: string; serverUrl?: string },
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const body = route.body ?? route.rawBody;
    const operation = {
      summary: route.summary,
      tags: [route.tag],
      ...(route.security ? { security: [{ [route.security]: [] }] } : {}),
      parameters: [...parameters('path', route.params), ...parameters('query', route.query)],
      ...(body
        ? {
            requestBody: {
              required: true,
              content: { [route.rawBodyContentType ?? 'application/json']: { schema: jsonSchema(body) } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries({
          ...bodyAnswers(route),
          ...temporalAnswers(route),
          ...rateLimitAnswers(route),
          ...route.responses,
        }).map(([status, r]) => [
          status,
          {
            description: r.description,
            ...(r.schema
              ? { content: { [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema) } } }
              : {}),
          },
        ]),
      ),
    };
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'tutor-meetings API',
      version: info.version,
      description: 'Video meetings for online lessons: Zoom per tutor, Daily.co as fallback.',
    },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    paths,
    webhooks: platformEventWebhooks(jsonSchema),
    components: { securitySchemes },
  };
}
