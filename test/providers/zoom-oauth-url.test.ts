import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseEnv } from '../../src/config/parse-env';
import { zoomTime } from '../../src/providers/zoom/api-client';
import { zoomConfigFromEnv, zoomEnv } from '../../src/providers/zoom/env';
import { createPkcePair, createZoomOAuthClient, pkceChallenge } from '../../src/providers/zoom/oauth-client';

const env = {
  ZOOM_CLIENT_ID: 'cid',
  ZOOM_CLIENT_SECRET: 'client-secret',
  ZOOM_REDIRECT_URI: 'https://app.test/integrations/zoom/callback',
  ZOOM_WEBHOOK_SECRET_TOKEN: 'webhook-secret',
};

test('PKCE S256: the RFC 7636 appendix B vector, and fresh pairs that match', () => {
  assert.equal(
    pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'),
    'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  );
  const a = createPkcePair();
  const b = createPkcePair();
  assert.match(a.verifier, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(a.challenge, pkceChallenge(a.verifier));
  assert.notEqual(a.verifier, b.verifier);
});

test('the authorize URL carries client, exact redirect, state and the S256 challenge, on the configured base', () => {
  const config = zoomConfigFromEnv(parseEnv(zoomEnv, { ...env, ZOOM_OAUTH_BASE_URL: 'http://127.0.0.1:9/' }));
  const url = new URL(createZoomOAuthClient(config).authorizeUrl({ state: 's t&1', codeChallenge: 'ch' }));
  assert.equal(`${url.origin}${url.pathname}`, 'http://127.0.0.1:9/oauth/authorize');
  assert.deepEqual(Object.fromEntries(url.searchParams), {
    response_type: 'code',
    client_id: 'cid',
    redirect_uri: env.ZOOM_REDIRECT_URI,
    state: 's t&1',
    code_challenge: 'ch',
    code_challenge_method: 'S256',
  });
});

test('Zoom settings: real URLs by default, the verification token optional, a timeout', () => {
  const config = zoomConfigFromEnv(parseEnv(zoomEnv, env));
  assert.equal(config.oauthBaseUrl, 'https://zoom.us');
  assert.equal(config.apiBaseUrl, 'https://api.zoom.us/v2');
  assert.equal(config.verificationToken, undefined);
  assert.equal(config.timeoutMs, 10_000);
  assert.throws(() => parseEnv(zoomEnv, { ...env, ZOOM_REDIRECT_URI: 'not a url' }), /ZOOM_REDIRECT_URI/);
});

test('Zoom start_time is yyyy-MM-ddTHH:mm:ssZ in UTC, without milliseconds', () => {
  assert.equal(zoomTime(new Date('2026-03-01T10:30:00.123+02:00')), '2026-03-01T08:30:00Z');
});
