import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SignJWT, type JWTPayload } from 'jose';
import { ManualClock } from '../../src/clock';
import { appEnv } from '../../src/config/app-env';
import { createPlatformJwtVerifier } from '../../src/services/zoom-connection/platform-auth';
import { platformJwt } from '../support/browser';
import { useTestStack } from '../support/use-test-stack';

const secret = 'a-platform-secret-of-32-bytes-at-least';
const clock = new ManualClock();
const verifier = (extra: { audience?: string; issuer?: string } = {}) =>
  createPlatformJwtVerifier({ secret, maxAgeSeconds: 300, toleranceSeconds: 30, clock, ...extra });
const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

/** A token with exactly these claims (times relative to the service's clock, in seconds). */
function token(
  claims: JWTPayload,
  { iat = 0, exp = 300 }: { iat?: number | null; exp?: number | null } = {},
  key = secret,
  alg = 'HS256',
): Promise<string> {
  const now = nowSeconds();
  return new SignJWT({
    sub: 'tutor-1',
    ...(iat === null ? {} : { iat: now + iat }),
    ...(exp === null ? {} : { exp: now + exp }),
    ...claims,
  })
    .setProtectedHeader({ alg })
    .sign(new TextEncoder().encode(key));
}

describe('platform JWTs', () => {
  const verify = async (t: Promise<string>, v = verifier()) => v.verify(await t);

  test('a fresh HS256 token with sub, iat and exp names its user', async () => {
    assert.equal(await verify(token({})), 'tutor-1');
    assert.equal(await verify(platformJwt(secret, 'tutor-1', { issuedAt: clock.now() })), 'tutor-1');
  });

  test('exp and iat are both required, and the token may not be meant to live past the maximum age', async () => {
    assert.equal(await verify(token({}, { exp: null })), undefined, 'no exp: a token that never expires');
    assert.equal(await verify(token({}, { iat: null })), undefined, 'no iat: its age is unknown');
    assert.equal(await verify(token({}, { exp: 301 })), undefined, 'exp − iat over 300 s');
    const year9999 = Date.UTC(9999, 0, 1) / 1000 - nowSeconds();
    assert.equal(await verify(token({}, { exp: year9999 })), undefined, 'exp in the year 9999');
    assert.equal(await verify(token({}, { exp: 300 })), 'tutor-1', 'exactly the maximum');
  });

  test('the clock tolerance (30 s) applies to exp, iat and nbf, and no further', async () => {
    assert.equal(await verify(token({}, { iat: -320, exp: -20 })), 'tutor-1', 'expired 20 s ago: tolerated');
    assert.equal(await verify(token({}, { iat: -340, exp: -40 })), undefined, 'expired 40 s ago');
    assert.equal(await verify(token({}, { iat: 20, exp: 300 })), 'tutor-1', 'issued 20 s ahead: skew');
    assert.equal(await verify(token({}, { iat: 60, exp: 300 })), undefined, 'issued 60 s in the future');
    assert.equal(await verify(token({ nbf: nowSeconds() + 20 })), 'tutor-1');
    assert.equal(await verify(token({ nbf: nowSeconds() + 60 })), undefined, 'not valid before a minute');
  });

  test("the service's clock decides, not the machine's", async () => {
    const minted = await token({});
    clock.advance(3600_000);
    try {
      assert.equal(await verifier().verify(minted), undefined, 'an hour later for the service');
      assert.equal(await verify(platformJwt(secret, 'tutor-1', { issuedAt: clock.now() })), 'tutor-1');
    } finally {
      clock.advance(-3600_000);
    }
  });

  test('aud and iss are checked when configured, and ignored when not', async () => {
    const strict = verifier({ audience: 'tutor-meetings', issuer: 'https://platform.example' });
    const both = { aud: 'tutor-meetings', iss: 'https://platform.example' };
    assert.equal(await verify(token(both), strict), 'tutor-1');
    assert.equal(await verify(token({ ...both, aud: 'another-app' }), strict), undefined);
    assert.equal(await verify(token({ ...both, iss: 'https://evil.example' }), strict), undefined);
    assert.equal(await verify(token({ iss: both.iss }), strict), undefined, 'no aud');
    assert.equal(await verify(token({ aud: both.aud }), strict), undefined, 'no iss');
    assert.equal(await verify(token({ aud: 'anything', iss: 'anyone' })), 'tutor-1');
  });

  test("a numeric sub (Laravel's user ids) is read as its decimal string", async () => {
    assert.equal(await verify(token({ sub: 42 as unknown as string })), '42');
    assert.equal(await verify(token({ sub: 1.5 as unknown as string })), undefined);
    assert.equal(await verify(token({ sub: -3 as unknown as string })), undefined);
  });

  test('a sub that could not be a user id is refused', async () => {
    for (const sub of ['', 'tutor\u0000', 'tutor\u202e', 'tutor\u2028', 'tutor\u0085', 'x'.repeat(65)])
      assert.equal(await verify(token({ sub })), undefined, JSON.stringify(sub));
    assert.equal(await verify(token({ sub: undefined })), undefined, 'no sub');
    assert.equal(await verify(token({ sub: 'x'.repeat(64) })), 'x'.repeat(64));
  });

  test('another secret or another algorithm is refused', async () => {
    assert.equal(await verify(token({}, {}, 'another-secret-of-32-bytes-at-least!!')), undefined);
    assert.equal(await verify(token({}, {}, secret, 'HS512')), undefined);
  });
});

test('the defaults: 300 s of age and lifetime, 30 s of skew, no aud or iss, lessons within 400 days', () => {
  const settings = appEnv
    .pick({
      PLATFORM_JWT_MAX_AGE_SECONDS: true,
      PLATFORM_JWT_CLOCK_TOLERANCE_SECONDS: true,
      PLATFORM_JWT_AUDIENCE: true,
      PLATFORM_JWT_ISSUER: true,
      MAX_BOOKING_HORIZON_DAYS: true,
    })
    .parse({});
  assert.deepEqual(settings, {
    PLATFORM_JWT_MAX_AGE_SECONDS: 300,
    PLATFORM_JWT_CLOCK_TOLERANCE_SECONDS: 30,
    MAX_BOOKING_HORIZON_DAYS: 400,
  });
});

describe('platform JWTs on the API', () => {
  const audience = 'tutor-meetings';
  const issuer = 'https://platform.example';
  const stack = useTestStack({
    worker: false,
    env: { PLATFORM_JWT_AUDIENCE: audience, PLATFORM_JWT_ISSUER: issuer },
  });

  const signed = (claims: JWTPayload) =>
    new SignJWT({ aud: audience, iss: issuer, ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(stack.env.PLATFORM_JWT_SECRET));
  const call = (method: string, jwt: string, query = '') =>
    fetch(`${stack.api.url}/integrations/zoom${query}`, {
      method,
      headers: jwt ? { authorization: `Bearer ${jwt}` } : {},
    });

  test('the settings reach the routes: aud and iss are required, and a good token is accepted', async () => {
    assert.equal((await call('GET', await signed({ sub: 'tutor-1' }))).status, 200);
    assert.equal((await call('GET', await signed({ sub: 'tutor-1', aud: 'x' }))).status, 401);
    const plain = await platformJwt(stack.env.PLATFORM_JWT_SECRET, 'tutor-1');
    assert.equal((await call('GET', plain)).status, 401, 'neither aud nor iss');
  });

  test('a NUL or 5,000 characters in sub is a 401 on every route, and writes nothing', async () => {
    for (const sub of ['tutor\u0000', 'x'.repeat(5000), 'ab\u202ecd']) {
      const jwt = await signed({ sub });
      for (const method of ['GET', 'DELETE']) {
        const res = await call(method, jwt);
        assert.equal(res.status, 401, `${method} ${JSON.stringify(sub.slice(0, 10))}`);
        assert.equal(((await res.json()) as { error: string }).error, 'unauthorized');
      }
    }
    assert.deepEqual(await stack.database.db('zoom_connection_events').select('id'), []);
    assert.deepEqual(await stack.database.db('oauth_service_tokens').select('id'), []);
  });

  test('the token is read from the Authorization header only, never from the URL', async () => {
    const jwt = await signed({ sub: 'tutor-1' });
    assert.equal((await call('GET', '', `?token=${jwt}`)).status, 401);
    assert.equal((await call('GET', '', `?access_token=${jwt}`)).status, 401);
  });
});
