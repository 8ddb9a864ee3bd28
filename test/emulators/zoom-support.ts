import assert from 'node:assert/strict';
import { ZoomModel } from '../../emulators/zoom/model';
import type { ZoomReply, ZoomRequest } from '../../emulators/zoom/replies';

/** Helpers for the Zoom model's unit tests: a model on a manual clock, and requests without HTTP. */

export const BASE = 'http://zoom.test';
export const REDIRECT = 'https://app.test/integrations/zoom/callback';
export const BASIC = `Basic ${Buffer.from('cid:secret').toString('base64')}`;

export function setup(overrides: Partial<ConstructorParameters<typeof ZoomModel>[0]> = {}) {
  const clock = { ms: Date.UTC(2030, 0, 15, 12, 0, 0), nowMs: () => clock.ms };
  const model = new ZoomModel(
    {
      clientId: 'cid',
      clientSecret: 'secret',
      redirectUris: [REDIRECT],
      webhookSecretToken: 'whsec',
      ...overrides,
    },
    clock,
  );
  return { model, clock };
}

export function request(
  method: string,
  path: string,
  init: { query?: Record<string, string>; headers?: Record<string, string>; body?: string } = {},
): ZoomRequest {
  return {
    method,
    path,
    query: new URLSearchParams(init.query ?? {}),
    headers: Object.fromEntries(Object.entries(init.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    rawBody: Buffer.from(init.body ?? ''),
  };
}

export const bodyOf = (reply: ZoomReply): Record<string, unknown> => reply.body as Record<string, unknown>;

export function authorizeCode(model: ZoomModel, extra: Record<string, string> = {}): URL {
  const reply = model.authorize(
    request('GET', '/oauth/authorize', {
      query: { response_type: 'code', client_id: 'cid', redirect_uri: REDIRECT, state: 's1', ...extra },
    }),
    BASE,
  );
  assert.equal(reply.status, 302);
  return new URL(reply.headers?.location ?? '');
}

export function exchange(model: ZoomModel, fields: Record<string, string>): ZoomReply {
  return model.token(
    request('POST', '/oauth/token', {
      headers: { authorization: BASIC },
      body: new URLSearchParams(fields).toString(),
    }),
    BASE,
  );
}

export function connect(model: ZoomModel): { access: string; refresh: string } {
  const code = authorizeCode(model).searchParams.get('code') ?? '';
  const reply = exchange(model, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT });
  assert.equal(reply.status, 200);
  return { access: String(bodyOf(reply).access_token), refresh: String(bodyOf(reply).refresh_token) };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
