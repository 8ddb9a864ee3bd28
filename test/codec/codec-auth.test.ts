import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import type { Context } from 'koa';
import { createCodecAuth } from '../../src/api/codec/codec-auth';
import { codecServerEnv } from '../../src/api/codec/env';
import { HttpError } from '../../src/api/http-error';

let jwksServer: Server;
let jwksUrl: string;
let signingKey: CryptoKey;

before(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  signingKey = privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'ui', alg: 'RS256' }] });
  jwksServer = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(jwks));
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
});
after(() => jwksServer?.close());

/** What the auth reads of a request: its Authorization header and its socket's address. */
const request = (authorization?: string, remoteAddress = '203.0.113.9'): Context =>
  ({
    get: (name: string) => (name.toLowerCase() === 'authorization' ? (authorization ?? '') : ''),
    req: { socket: { remoteAddress } },
  }) as unknown as Context;

const accessToken = (claims: { iss?: string; aud?: string; expiresIn?: string } = {}) =>
  new SignJWT({ sub: 'operator@example.test' })
    .setProtectedHeader({ alg: 'RS256', kid: 'ui' })
    .setIssuer(claims.iss ?? 'https://idp.example.test')
    .setAudience(claims.aud ?? 'temporal-ui')
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '5m')
    .sign(signingKey);

const refuses = (promise: Promise<void>) =>
  assert.rejects(promise, (error: unknown) => error instanceof HttpError && error.status === 401);

test("the UI's access token is accepted when the JWKS verifies it for the configured issuer and audience", async () => {
  const auth = createCodecAuth(
    codecServerEnv.parse({
      CODEC_JWKS_URL: jwksUrl,
      CODEC_JWT_ISSUER: 'https://idp.example.test',
      CODEC_JWT_AUDIENCE: 'temporal-ui',
    }),
  );
  await auth(request(`Bearer ${await accessToken()}`));
  await refuses(auth(request(`Bearer ${await accessToken({ aud: 'someone-else' })}`)));
  await refuses(auth(request(`Bearer ${await accessToken({ iss: 'https://other.example.test' })}`)));
  await refuses(auth(request(`Bearer ${await accessToken({ expiresIn: '-1m' })}`)));
  const { privateKey: stranger } = await generateKeyPair('RS256');
  const forged = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: 'ui' })
    .setIssuer('https://idp.example.test')
    .setAudience('temporal-ui')
    .setExpirationTime('5m')
    .sign(stranger);
  await refuses(auth(request(`Bearer ${forged}`)));
  await refuses(auth(request()));
});

test('with neither CODEC_AUTH_TOKEN nor CODEC_JWKS_URL, every call is refused, and says how to turn it on', async () => {
  const auth = createCodecAuth(codecServerEnv.parse({}));
  await assert.rejects(auth(request('Bearer anything', '127.0.0.1')), /CODEC_AUTH_TOKEN or CODEC_JWKS_URL/);
});

test('CODEC_OPEN_ON_LOOPBACK (local stacks) lets this machine in without a token, and no one else', async () => {
  const auth = createCodecAuth(codecServerEnv.parse({ CODEC_OPEN_ON_LOOPBACK: 'true' }));
  for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) await auth(request(undefined, address));
  await refuses(auth(request(undefined, '203.0.113.9')));
  await refuses(auth(request(undefined, '::ffff:10.0.0.1')));
});
