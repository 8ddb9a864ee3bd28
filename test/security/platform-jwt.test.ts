import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignJWT } from 'jose';
import { verifyPlatformJwt } from '../../src/services/zoom-connection/platform-auth';
import { platformJwt } from '../support/browser';

const secret = 'a-platform-secret-of-32-bytes-at-least';

test('a platform JWT is accepted only with an expiry, and only before it', async () => {
  assert.equal(await verifyPlatformJwt(await platformJwt(secret, 'tutor-1'), secret), 'tutor-1');
  const forever = await new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('tutor-1')
    .setIssuedAt()
    .sign(new TextEncoder().encode(secret));
  assert.equal(await verifyPlatformJwt(forever, secret), undefined, 'no exp: a token that never expires');
  assert.equal(await verifyPlatformJwt(await platformJwt(secret, 'tutor-1', '-1m'), secret), undefined);
});
