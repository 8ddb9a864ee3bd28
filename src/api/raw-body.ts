import type { Context } from 'koa';
import { HttpError } from './http-error';

const DEFAULT_LIMIT = 256 * 1024;

/** Reads the request body as bytes once (webhook signatures need the raw bytes), with a size limit. */
export async function readRawBody(ctx: Context, limit = DEFAULT_LIMIT): Promise<Buffer> {
  const state = ctx.state as { rawBody?: Buffer };
  if (state.rawBody) return state.rawBody;
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limit)
    throw new HttpError(413, 'payload_too_large', `The body is larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, 'payload_too_large', `The body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  state.rawBody = Buffer.concat(chunks);
  return state.rawBody;
}

export async function readJsonBody(ctx: Context): Promise<unknown> {
  const raw = await readRawBody(ctx);
  if (raw.length === 0) return undefined;
  if (!ctx.is('application/json')) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid JSON');
  }
}
