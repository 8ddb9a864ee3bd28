import type { z } from 'zod';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'koa';
import { HttpError } from './http-error';

/** Every JSON body, and Zoom's events: far above any real request, low enough to hold many at once. */
export const JSON_BODY_LIMIT = 64 * 1024;

const tooLarge = (limit: number): HttpError =>
  new HttpError(413, 'payload_too_large', `The body is larger than ${limit} bytes`);

/** The client went away (or its connection broke) before the whole body came: its doing, not a 500. */
const incomplete = (): HttpError =>
  new HttpError(400, 'incomplete_body', 'The connection closed before the whole body arrived');

/** Reads the request body as bytes once (webhook signatures need the raw bytes), with a size limit. */
export async function readRawBody(ctx: Context, limit = JSON_BODY_LIMIT): Promise<Buffer> {
  const state = ctx.state as { rawBody?: Buffer };
  if (state.rawBody) return state.rawBody;
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit) throw tooLarge(limit);
  state.rawBody = await collect(ctx.req, limit);
  return state.rawBody;
}

/**
 * The body's bytes, from plain stream events: one promise per request, where `for await` makes an
 * async iterator and several promises per chunk (each one costly once async hooks are on). The
 * listeners are inline and anonymous on purpose: tsx names every named closure at each creation.
 * When the limit is passed it stops reading (what came is dropped, the rest is never read: the 413
 * goes out with `Connection: close`, see src/api/app.ts) and fails; a premature close is a 400
 * (the client left).
 */
function collect(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      settled = true;
      chunks.length = 0;
      req.pause();
      reject(tooLarge(limit));
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', () => {
      if (settled) return;
      settled = true;
      reject(incomplete());
    });
    req.on('close', () => {
      if (settled) return;
      settled = true;
      reject(incomplete());
    });
  });
}

export async function readJsonBody(ctx: Context): Promise<unknown> {
  const raw = await readRawBody(ctx);
  if (raw.length === 0) return undefined;
  if (!ctx.is('application/json')) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  return parseJson(raw);
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid JSON');
  }
}

/** A webhook body, after its signature was checked over the raw bytes: JSON of the given shape, else a 400. */
export function parseSignedBody<T>(raw: Buffer, schema: z.ZodType<T>, expected: string): T {
  const parsed = schema.safeParse(parseJson(raw));
  if (!parsed.success) throw new HttpError(400, 'invalid_request', `The body is not ${expected}`);
  return parsed.data;
}
