import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { ConnectSessionsStore } from '../../db/stores/connect-sessions-store';
import type { NoncesStore } from '../../db/stores/nonces-store';
import type { PendingGrantsStore } from '../../db/stores/pending-grants-store';
import { isProviderError } from '../../providers/provider-error';
import type { ZoomApiClient } from '../../providers/zoom/api-client';
import { createPkcePair, type ZoomOAuthClient } from '../../providers/zoom/oauth-client';
import type { GrantRevocations } from './grant-revocations';
import { newState, openState, sealState, STATE_TTL_SECONDS } from './oauth-state';
import { hashOneTimeSecret, newOneTimeSecret } from './one-time-secret';

/** A grant waits this long for the logged-in platform user to confirm it; then it is revoked. */
export const PENDING_GRANT_TTL_SECONDS = 10 * 60;

export interface ConnectFlowDeps {
  db: Knex;
  sessions: ConnectSessionsStore;
  pendingGrants: PendingGrantsStore;
  nonces: NoncesStore;
  revocations: GrantRevocations;
  zoomOAuth: ZoomOAuthClient;
  zoomApi: ZoomApiClient;
  clock: Clock;
  stateSecret: string;
}

export type FlowFailure =
  | 'access_denied'
  | 'missing_state'
  | 'invalid_state'
  | 'expired_state'
  | 'used_state'
  | 'missing_code'
  | 'unknown_session'
  | 'used_session'
  | 'expired_session'
  | 'exchange_failed'
  | 'profile_failed';

/** The callback's result: a pending grant and its one-time code (never logged), or why not. */
export type CallbackOutcome =
  { ok: true; grantCode: string; userId: string; email: string | null } | { ok: false; reason: FlowFailure };

/**
 * The seed's "OAuth flow", steps 2 to 4: consent redirect, callback and code exchange. Step 5
 * (storing the tokens) waits for a confirmation (grant-confirmation.ts): the grant is held, pending.
 */
export function createConnectFlow(deps: ConnectFlowDeps) {
  /** Holds the grant for confirmation; its revocation is recorded now, due when it expires. */
  async function holdGrant(
    sessionId: string,
    userId: string,
    authCode: string,
    tokens: { access_token: string; refresh_token: string; expires_in: number },
    me: { id: string; email: string | null },
  ): Promise<string> {
    const grantCode = newOneTimeSecret();
    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + PENDING_GRANT_TTL_SECONDS * 1000);
    await deps.db.transaction(async (trx) => {
      const revocationId = await deps.revocations.drop(
        {
          zoomUserId: me.id,
          accessToken: tokens.access_token,
          refreshToken: tokens.refresh_token,
          reason: 'pending_expired',
          userId,
        },
        trx,
        { notBefore: expiresAt },
      );
      await deps.pendingGrants.create(
        {
          codeHash: hashOneTimeSecret(grantCode),
          sessionId,
          zoomUserId: me.id,
          email: me.email,
          code: authCode,
          accessToken: tokens.access_token,
          refreshToken: tokens.refresh_token,
          expiresIn: tokens.expires_in,
          tokenExpiresAt: new Date(now.getTime() + tokens.expires_in * 1000),
          revocationId,
          expiresAt,
        },
        trx,
      );
    });
    return grantCode;
  }

  return {
    /** Step 2, for an opened connect session: Zoom's consent URL and the cookie binding this browser. */
    async start(sessionId: string): Promise<{ redirectUrl: string; cookie: string; maxAgeSeconds: number }> {
      const state = newState();
      const pkce = createPkcePair();
      const cookie = await sealState(
        { state, codeVerifier: pkce.verifier, sessionId },
        deps.stateSecret,
        deps.clock.now(),
      );
      return {
        redirectUrl: deps.zoomOAuth.authorizeUrl({ state, codeChallenge: pkce.challenge }),
        cookie,
        maxAgeSeconds: STATE_TTL_SECONDS,
      };
    },

    /** Steps 3 and 4. The grant is attached to nobody: it waits, pending, for a confirmation. */
    async complete(input: {
      cookie?: string;
      state?: string;
      code?: string;
      error?: string;
    }): Promise<CallbackOutcome> {
      const now = deps.clock.now();
      const check = await openState(input.cookie, input.state, deps.stateSecret, now);
      if (!check.ok) return check;
      const expiresAt = new Date(now.getTime() + STATE_TTL_SECONDS * 1000);
      if (!(await deps.nonces.useOnce(check.pending.state, 'oauth-state', expiresAt)))
        return { ok: false, reason: 'used_state' };
      // A nonce only has to outlive its state or reconnect link: past that, their own expiry
      // refuses a replay. Nothing else clears the table, so each used state clears what expired.
      await deps.nonces.pruneExpired(now);
      if (input.error)
        return { ok: false, reason: input.error === 'access_denied' ? 'access_denied' : 'exchange_failed' };
      if (!input.code) return { ok: false, reason: 'missing_code' };
      const session = await deps.sessions.findById(check.pending.sessionId);
      if (!session) return { ok: false, reason: 'unknown_session' };

      let tokens;
      try {
        tokens = await deps.zoomOAuth.exchangeCode({
          code: input.code,
          codeVerifier: check.pending.codeVerifier,
        });
      } catch (error) {
        if (isProviderError(error)) return { ok: false, reason: 'exchange_failed' };
        throw error;
      }
      let me;
      try {
        me = await deps.zoomApi.getMe(tokens.access_token);
      } catch (error) {
        if (!isProviderError(error)) throw error;
        // A grant we cannot name is still a grant at Zoom: it is dropped, to be revoked.
        await deps.revocations.drop({
          zoomUserId: null,
          accessToken: tokens.access_token,
          refreshToken: tokens.refresh_token,
          reason: 'get_me_failed',
          userId: session.userId,
        });
        return { ok: false, reason: 'profile_failed' };
      }
      const grantCode = await holdGrant(session.id, session.userId, input.code, tokens, me);
      return { ok: true, grantCode, userId: session.userId, email: me.email };
    },
  };
}
export type ConnectFlow = ReturnType<typeof createConnectFlow>;
