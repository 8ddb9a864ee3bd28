import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProviderError } from '../../src/providers/provider-error';
import { createTokenSweep } from '../../src/services/token-sweep/token-sweep';
import { createZoomTokenService } from '../../src/services/zoom-connection/token-service';
import { seedZoomConnections } from '../support/seed-tokens';
import { useTestStack } from '../support/use-test-stack';
import { randomDay } from '../support/temporal';

const stack = useTestStack({ worker: false });

const tokens = () => stack.container.stores.tokens;
const mailsTo = (email: string) => stack.sendgrid.outbox().filter((m) => m.to.includes(email));

/** The tutor connects Zoom again (a new grant at Zoom), as the connect flow's callback does. */
async function reconnect(tutorId: string, uid: string): Promise<string> {
  const issued = stack.zoom.model.tokens.createGrant(
    uid,
    stack.env.ZOOM_CLIENT_ID,
    'user:read meeting:write',
  );
  await tokens().saveConnection({
    userId: tutorId,
    uid,
    email: `${tutorId}@zoom.example.com`,
    code: 'again',
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    expiresIn: issued.expiresIn,
    expiresAt: new Date(Date.now() + issued.expiresIn * 1000),
  });
  return issued.accessToken;
}

/** The saga's services, with one dependency replaced. */
function validationWith(overrides: Partial<Parameters<typeof createTokenSweep>[0]>) {
  const c = stack.container;
  return createTokenSweep({
    db: c.db,
    tokens: c.stores.tokens,
    users: c.stores.users,
    events: c.stores.connectionEvents,
    reconnection: c.stores.reconnection,
    clock: c.clock,
    logger: c.logger,
    tokenService: c.services.tokenService,
    emailSender: c.emailSender,
    publicBaseUrl: c.env.PUBLIC_BASE_URL,
    linkSecret: c.env.LINK_SIGNING_SECRET,
    revocations: c.services.grantRevocations,
    ...overrides,
  });
}

test('a tutor who reconnects while the last day’s email is being sent keeps the new connection at Zoom', async () => {
  const [tutorId] = (await seedZoomConnections(stack, 1, 'mid-saga-revoke')) as [string];
  const old = (await tokens().findByUser(tutorId))!;
  await stack.database.db('oauth_service_tokens').where({ id: old.id }).update({ reconnection_attempts: 2 });
  let newAccessToken = '';
  const real = stack.container.emailSender;
  const validation = validationWith({
    emailSender: {
      ...real,
      async sendOnce(...args: Parameters<typeof real.sendOnce>) {
        const outcome = await real.sendOnce(...args);
        newAccessToken = await reconnect(tutorId, old.uid); // from an earlier day's link, just now
        return outcome;
      },
    },
  });

  const input = { tokenId: old.id, version: old.version, day: randomDay(), maxAttempts: 3 };
  const result = await validation.handleInvalidToken(input);

  assert.equal(result.outcome, 'valid', 'the reconnected row is not deleted');
  assert.ok(await tokens().findByUser(tutorId), 'the tutor is still connected here');
  const me = await stack.container.zoomApi.getMe(newAccessToken);
  assert.equal(me.id, old.uid, 'and at Zoom: the saga revoked nothing of the new grant');
});

test('a token found invalid as the tutor reconnects names the row that was checked, so the new one is left alone', async () => {
  const [tutorId] = (await seedZoomConnections(stack, 1, 'mid-check')) as [string];
  const old = (await tokens().findByUser(tutorId))!;
  const c = stack.container;
  // Zoom says the old token's user is gone (1001); the tutor's reconnection lands just as it answers.
  const tokenService = createZoomTokenService({
    ...c,
    tokens: c.stores.tokens,
    events: c.stores.connectionEvents,
    revocations: c.services.grantRevocations,
    zoomApi: {
      ...c.zoomApi,
      async getMe(accessToken: string) {
        if (accessToken !== old.accessToken) return c.zoomApi.getMe(accessToken);
        await reconnect(tutorId, old.uid);
        throw new ProviderError({
          provider: 'zoom',
          kind: 'invalid-connection',
          status: 404,
          code: 1001,
          message: 'User does not exist',
        });
      },
    },
  });
  const validation = validationWith({ tokenService });

  const check = await validation.validateWithRetries(old.id, 1);
  assert.equal(check.outcome, 'invalid');
  assert.equal(check.outcome === 'invalid' && check.version, old.version, 'the version that was checked');

  const handled = await validation.handleInvalidToken({
    tokenId: old.id,
    version: check.outcome === 'invalid' ? check.version : -1,
    day: randomDay(),
    maxAttempts: 3,
  });
  assert.equal(handled.outcome, 'valid');
  assert.equal((await tokens().findByUser(tutorId))!.reconnectionAttempts, 0, 'nothing counted');
  assert.equal(mailsTo(`${tutorId}@example.com`).length, 0, 'no ReconnectZoom email');
});
