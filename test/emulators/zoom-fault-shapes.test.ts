import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ZoomEmulator } from '../../emulators/zoom/emulator';
import { api, basicAuth, connect, startTestZoom, tokenRequest } from './zoom-http-support';

/** Injected faults answer in the shape of the API they hit: OAuth `{reason, error}`, REST `{code, message}`. */

let zoom: ZoomEmulator;
before(async () => {
  zoom = await startTestZoom();
});
after(() => zoom?.close());

const refresh = () => tokenRequest(zoom, { grant_type: 'refresh_token', refresh_token: 'x' }, basicAuth());

test('a fault on an OAuth route answers {reason, error} with the OAuth error code for its status', async () => {
  for (const [status, error] of [
    [400, 'invalid_request'],
    [401, 'invalid_client'],
    [429, 'temporarily_unavailable'],
    [500, 'server_error'],
    [503, 'temporarily_unavailable'],
  ] as const) {
    const fault = zoom.faults.add({ route: 'POST /oauth/token', status, firstN: 1 });
    const res = await refresh();
    zoom.faults.remove(fault);
    assert.equal(res.status, status);
    const body = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['error', 'reason'], JSON.stringify(body));
    assert.equal(body.error, error);
    assert.equal(typeof body.reason, 'string');
  }
  zoom.faults.add({ route: 'POST /oauth/revoke', status: 502, firstN: 1 });
  const revoke = await fetch(`${zoom.oauthBaseUrl}/oauth/revoke`, {
    method: 'POST',
    headers: { authorization: basicAuth(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: 'x' }),
  });
  assert.deepEqual(await revoke.json(), { reason: 'Injected fault', error: 'server_error' });
});

test('a fault on a REST route still answers {code, message}; an unknown OAuth path is OAuth-shaped', async () => {
  const { access_token } = await connect(zoom);
  zoom.faults.add({ route: 'GET /v2/users/me', status: 500, firstN: 1 });
  const rest = await api(zoom, access_token, 'GET', '/users/me');
  assert.equal(rest.status, 500);
  assert.deepEqual(await rest.json(), { code: 500, message: 'Injected fault' });
  const unknown = await fetch(`${zoom.oauthBaseUrl}/oauth/nowhere`);
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { error?: string }).error, 'invalid_request');
});
