import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { ConnectionEventsStore } from '../../db/stores/connection-events-store';
import type { TokensStore, ZoomTokenRow } from '../../db/stores/oauth-service-tokens-store';
import type { Logger } from '../../logger';
import { isProviderError, ProviderError } from '../../providers/provider-error';
import type { ZoomApiClient } from '../../providers/zoom/api-client';
import type { ZoomOAuthClient } from '../../providers/zoom/oauth-client';
import { dropTakenGrant } from '../revocation/drop-taken-grant';
import type { GrantRevocations } from './grant-revocations';
import type { ZoomEvents } from '../platform-events/zoom-events';

/** Refresh when less than this is left, so a token never expires between our check and Zoom's. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** `invalid` only for the tutor's dead connection; every fault of ours or Zoom's is `transient`. */
export type ValidationResult =
  | { outcome: 'valid'; tokenId: string; version: number }
  | { outcome: 'invalid'; tokenId: string; version: number; reason: string }
  | { outcome: 'transient'; tokenId: string; retryAfterMs?: number; reason: string }
  | { outcome: 'missing'; tokenId: string };

export interface ConnectionSummary {
  tokenId: string;
  uid: string;
  email: string | null;
  reconnectionAttempts: number;
  version: number;
  expiresAt: Date;
}

export interface TokenServiceDeps {
  /** Only for transactions spanning the stores. */
  db: Knex;
  tokens: TokensStore;
  events: ConnectionEventsStore;
  /** The platform's Zoom events; none when left out (a process that only refreshes). */
  zoomEvents?: ZoomEvents;
  zoomOAuth: ZoomOAuthClient;
  zoomApi: ZoomApiClient;
  clock: Clock;
  logger: Logger;
  revocations: GrantRevocations;
}

const notConnected = (userId: string): ProviderError =>
  new ProviderError({
    provider: 'zoom',
    kind: 'invalid-connection',
    message: `user ${userId} has no Zoom connection`,
  });

/**
 * The tutor's Zoom connection: isZoomConnected, a valid access token on demand, validation for
 * the daily sweep, disconnect. Zoom rotates refresh tokens and kills the old one at once, so exactly
 * one refresh runs per token, whoever asks: the row is locked (SELECT … FOR UPDATE) while the
 * refresh runs, and the new tokens are committed before the access token is handed out.
 */
export function createZoomTokenService(deps: TokenServiceDeps) {
  const { tokens, events } = deps;
  const fresh = (row: ZoomTokenRow): boolean =>
    row.expiresAt.getTime() - deps.clock.now().getTime() > REFRESH_MARGIN_MS;

  /**
   * Refreshes under the row lock unless another caller already did; returns the current row.
   * `rejected` is an access token Zoom refused (124): refresh even if it looks fresh, unless the
   * row holds another one by now (a caller refreshed meanwhile: every rotation counts).
   */
  async function refreshLocked(
    userId: string,
    rejected?: string,
    onLocked?: (row: ZoomTokenRow) => void,
  ): Promise<{ row: ZoomTokenRow; refreshed: boolean }> {
    return deps.db.transaction(async (trx) => {
      const row = await tokens.lockByUser(userId, trx);
      if (!row) throw notConnected(userId);
      onLocked?.(row);
      const refused = rejected !== undefined && row.accessToken === rejected;
      if (!refused && fresh(row)) return { row, refreshed: false };
      const answer = await deps.zoomOAuth.refresh(row.refreshToken);
      const expiresAt = new Date(deps.clock.now().getTime() + answer.expires_in * 1000);
      const next = {
        accessToken: answer.access_token,
        refreshToken: answer.refresh_token,
        expiresIn: answer.expires_in,
        expiresAt,
      };
      await tokens.saveRefreshedTokens(userId, next, trx);
      await events.record(userId, 'refreshed', undefined, trx);
      return { row: { ...row, ...next, version: row.version + 1 }, refreshed: true };
    });
  }

  async function getAccessToken(userId: string): Promise<string> {
    const row = await tokens.findByUser(userId);
    if (!row) throw notConnected(userId);
    if (fresh(row)) return row.accessToken;
    return (await refreshLocked(userId)).row.accessToken;
  }

  return {
    async isZoomConnected(userId: string): Promise<boolean> {
      return tokens.existsForUser(userId);
    },

    async getConnection(userId: string): Promise<ConnectionSummary | undefined> {
      const row = await tokens.findByUser(userId);
      return (
        row && {
          tokenId: row.id,
          uid: row.uid,
          email: row.email,
          reconnectionAttempts: row.reconnectionAttempts,
          version: row.version,
          expiresAt: row.expiresAt,
        }
      );
    },

    getAccessToken,

    /**
     * Runs `call` with a valid access token. A 124 on a token we believed valid gets one forced
     * refresh and one more try; a 124 right after a fresh refresh means the connection is dead.
     */
    async withAccessToken<T>(userId: string, call: (accessToken: string) => Promise<T>): Promise<T> {
      const accessToken = await getAccessToken(userId);
      try {
        return await call(accessToken);
      } catch (error) {
        if (!isProviderError(error, 'invalid-connection') || error.code !== 124) throw error;
        return call((await refreshLocked(userId, accessToken)).row.accessToken);
      }
    },

    /**
     * The daily check: refresh first when expired (keeps refresh tokens alive), then GET /users/me.
     * Takes the row when the caller has just read it (the sweep reads a page at once).
     */
    async validateToken(token: string | ZoomTokenRow): Promise<ValidationResult> {
      const tokenId = typeof token === 'string' ? token : token.id;
      const row = typeof token === 'string' ? await tokens.findById(tokenId) : token;
      if (!row) return { outcome: 'missing', tokenId };
      // The row Zoom last refused: an invalid answer names it, never a reconnection saved meanwhile.
      let checked = row;
      const locked = (next: ZoomTokenRow) => (checked = next);
      try {
        let current = row;
        let refreshed = false;
        if (!fresh(row)) ({ row: current, refreshed } = await refreshLocked(row.userId, undefined, locked));
        checked = current;
        try {
          await deps.zoomApi.getMe(current.accessToken);
        } catch (error) {
          if (refreshed || !isProviderError(error, 'invalid-connection') || error.code !== 124) throw error;
          current = (await refreshLocked(row.userId, current.accessToken, locked)).row;
          checked = current;
          await deps.zoomApi.getMe(current.accessToken);
        }
        return { outcome: 'valid', tokenId, version: current.version };
      } catch (error) {
        if (!isProviderError(error)) throw error;
        if (error.kind === 'transient')
          return { outcome: 'transient', tokenId, retryAfterMs: error.retryAfterMs, reason: error.message };
        if (error.kind !== 'invalid-connection') {
          // Our client refused (invalid_client after a secret rotation), a 403, an unreadable answer:
          // not the tutor's fault, so nothing is counted; retried like an outage, and loud for operators.
          deps.logger.error(
            { tokenId, kind: error.kind, status: error.status, code: error.code, err: error.message },
            'Zoom token validation failed for a reason that is not the tutor’s: check the Zoom app configuration',
          );
          return { outcome: 'transient', tokenId, reason: error.message };
        }
        return { outcome: 'invalid', tokenId, version: checked.version, reason: error.message };
      }
    },

    /**
     * Removes the connection; true when a row was deleted. Its grant is dropped in the same
     * transaction, so it is revoked at Zoom durably (unless another connection holds that Zoom
     * user): a failing revoke no longer leaves the grant alive at Zoom once the row is gone.
     */
    async disconnect(userId: string): Promise<boolean> {
      return deps.db.transaction(async (trx) => {
        const taken = await tokens.takeByUser(userId, trx);
        if (!taken) return false;
        await dropTakenGrant(deps, taken, 'disconnected', trx);
        await events.record(userId, 'disconnected', undefined, trx);
        await deps.zoomEvents?.disconnected(userId, 'by_tutor', trx);
        return true;
      });
    },
  };
}
export type ZoomTokenService = ReturnType<typeof createZoomTokenService>;
