import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import { createConnectionEventsStore } from '../../db/stores/connection-events-store';
import type { NoncesStore } from '../../db/stores/nonces-store';
import type { TokensStore } from '../../db/stores/oauth-service-tokens-store';
import { createUsersStore } from '../../db/stores/users-store';
import { isProviderError } from '../../providers/provider-error';
import type { ZoomApiClient } from '../../providers/zoom/api-client';
import { createPkcePair, type ZoomOAuthClient } from '../../providers/zoom/oauth-client';
import { newState, openState, sealState, STATE_TTL_SECONDS } from './oauth-state';
import { RECONNECT_NONCE_PURPOSE, type ReconnectGrant } from './reconnect-token';

export interface ConnectFlowDeps {
  db: Knex;
  tokens: TokensStore;
  nonces: NoncesStore;
  zoomOAuth: ZoomOAuthClient;
  zoomApi: ZoomApiClient;
  clock: Clock;
  stateSecret: string;
}

export type CallbackOutcome =
  | { ok: true; userId: string; email: string | null; reconnected: boolean }
  | {
      ok: false;
      reason:
        | 'access_denied'
        | 'missing_state'
        | 'invalid_state'
        | 'expired_state'
        | 'used_state'
        | 'missing_code'
        | 'used_reconnect_link'
        | 'exchange_failed';
    };

/** The seed's "OAuth flow", steps 2 to 5: consent redirect, callback, code exchange, stored tokens. */
export function createConnectFlow(deps: ConnectFlowDeps) {
  const users = createUsersStore(deps.db);
  const events = createConnectionEventsStore(deps.db);

  return {
    /** Step 2: where to send the tutor, and the cookie that binds the state to this browser. */
    async start(
      userId: string,
      reconnectLink?: ReconnectGrant,
    ): Promise<{ redirectUrl: string; cookie: string; maxAgeSeconds: number }> {
      const state = newState();
      const pkce = createPkcePair();
      const cookie = await sealState(
        {
          state,
          codeVerifier: pkce.verifier,
          userId,
          reconnect: reconnectLink !== undefined,
          reconnectNonce: reconnectLink?.nonce,
          reconnectExpiresAt: reconnectLink?.expiresAt.getTime(),
        },
        deps.stateSecret,
        deps.clock.now(),
      );
      return {
        redirectUrl: deps.zoomOAuth.authorizeUrl({ state, codeChallenge: pkce.challenge }),
        cookie,
        maxAgeSeconds: STATE_TTL_SECONDS,
      };
    },

    /** Steps 3 to 5. Nothing is stored unless every check passes. */
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

      try {
        const tokens = await deps.zoomOAuth.exchangeCode({
          code: input.code,
          codeVerifier: check.pending.codeVerifier,
        });
        const me = await deps.zoomApi.getMe(tokens.access_token);
        const { userId, reconnectNonce, reconnectExpiresAt } = check.pending;
        const existed = (await deps.tokens.findByUser(userId)) !== undefined;
        const linkUsed = await deps.db.transaction(async (trx) => {
          // The reconnect link works once: the first reconnection through it uses it up.
          const linkExpiry = new Date(reconnectExpiresAt ?? 0);
          if (
            reconnectNonce &&
            !(await deps.nonces.useOnce(reconnectNonce, RECONNECT_NONCE_PURPOSE, linkExpiry, trx))
          )
            return true;
          await users.upsertUser({ id: userId }, trx);
          await deps.tokens.saveConnection(
            {
              userId,
              uid: me.id,
              email: me.email,
              code: input.code as string,
              accessToken: tokens.access_token,
              refreshToken: tokens.refresh_token,
              expiresIn: tokens.expires_in,
              expiresAt: new Date(deps.clock.now().getTime() + tokens.expires_in * 1000),
            },
            trx,
          );
          await events.record(userId, existed ? 'reconnected' : 'connected', me.email, trx);
          return false;
        });
        if (linkUsed) return { ok: false, reason: 'used_reconnect_link' };
        return { ok: true, userId, email: me.email, reconnected: existed };
      } catch (error) {
        if (isProviderError(error)) return { ok: false, reason: 'exchange_failed' };
        throw error;
      }
    },
  };
}
export type ConnectFlow = ReturnType<typeof createConnectFlow>;
