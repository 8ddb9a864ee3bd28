import type { PayloadCodec } from '@temporalio/common';
import type Koa from 'koa';
import { DecryptionError } from '../../crypto/key-ring';
import { HttpError, invalidRequest } from '../http-error';
import { readRawBody } from '../raw-body';
import type { CodecAuth } from './codec-auth';
import { codecRequestBody, payloadFromJson, payloadToJson } from './payload-json';

export const CODEC_PREFIX = '/codec';

/** A page of history in the UI can carry many payloads of up to 2 MB each; only trusted callers get here. */
const CODEC_BODY_LIMIT = 16 * 1024 * 1024;

const ALLOWED_HEADERS = 'Content-Type, X-Namespace, Authorization';

export interface CodecServerOptions {
  codec: PayloadCodec;
  auth: CodecAuth;
  /** The Temporal UI's origins: CORS answers name only these. */
  allowedOrigins: string[];
}

function allowOrigin(ctx: Koa.Context, allowed: Set<string>): void {
  ctx.vary('origin');
  const origin = ctx.get('origin');
  if (!origin || !allowed.has(origin)) return;
  ctx.set('access-control-allow-origin', origin);
  // The UI sends cookies with `includeCredentials`; harmless otherwise.
  ctx.set('access-control-allow-credentials', 'true');
}

async function readPayloads(ctx: Koa.Context) {
  const raw = await readRawBody(ctx, CODEC_BODY_LIMIT);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not JSON');
  }
  const parsed = codecRequestBody.safeParse(json);
  if (!parsed.success) throw invalidRequest('body', parsed.error);
  return parsed.data.payloads.map(payloadFromJson);
}

/**
 * Temporal's remote codec protocol, in the API process: `POST /codec/decode` and `/codec/encode` take
 * `{ payloads: [...] }` and answer the same shape. It answers every request under /codec itself,
 * ahead of the rate limits and the API's method answers, which are about the API's own routes.
 */
export function codecServer({ codec, auth, allowedOrigins }: CodecServerOptions): Koa.Middleware {
  const origins = new Set(allowedOrigins);
  return async (ctx, next) => {
    if (ctx.path !== CODEC_PREFIX && !ctx.path.startsWith(`${CODEC_PREFIX}/`)) return next();
    allowOrigin(ctx, origins);
    const action = ctx.path.slice(CODEC_PREFIX.length + 1);
    if (action !== 'decode' && action !== 'encode') {
      throw new HttpError(404, 'not_found', 'The codec server serves /codec/decode and /codec/encode');
    }
    ctx.set('allow', 'POST, OPTIONS');
    if (ctx.method === 'OPTIONS') {
      ctx.set('access-control-allow-methods', 'POST, OPTIONS');
      ctx.set('access-control-allow-headers', ALLOWED_HEADERS);
      ctx.set('access-control-max-age', '600');
      ctx.status = 204;
      return;
    }
    if (ctx.method !== 'POST') {
      throw new HttpError(405, 'method_not_allowed', `${ctx.method} is not allowed here; use POST`);
    }
    await auth(ctx);
    const payloads = await readPayloads(ctx);
    try {
      const result = action === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads);
      ctx.set('cache-control', 'no-store');
      ctx.body = { payloads: result.map(payloadToJson) };
    } catch (error) {
      if (error instanceof DecryptionError) throw new HttpError(422, 'undecodable', error.message);
      throw error;
    }
  };
}
