import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import { DecryptionError } from '../../crypto/key-ring';
import type { AdvisoryLocks } from '../../db/advisory-locks';
import type {
  GrantRevocationsStore,
  PendingRevocation,
  RevocationOutcome,
} from '../../db/stores/grant-revocations-store';
import type { TokensStore } from '../../db/stores/oauth-service-tokens-store';
import type { Logger } from '../../logger';
import { isProviderError } from '../../providers/provider-error';
import type { ZoomApiClient } from '../../providers/zoom/api-client';
import type { ZoomOAuthClient } from '../../providers/zoom/oauth-client';
import { REFRESH_MARGIN_MS } from '../zoom-connection/token-service';
import { retryDelayMs } from '../../util/backoff';

export interface RevocationProcessorDeps {
  /** Only for the transaction that locks a revocation while it is finished. */
  db: Knex;
  store: GrantRevocationsStore;
  tokens: TokensStore;
  clock: Clock;
  logger: Logger;
  locks: AdvisoryLocks;
  zoomOAuth: ZoomOAuthClient;
  zoomApi: ZoomApiClient;
  /** REVOCATION_RETRY_SECONDS, in ms. */
  firstRetryMs: number;
}

/** `retrying`: this attempt failed and the next is booked; `not_due`: nothing to do (yet). */
export type ProcessResult = RevocationOutcome | 'retrying' | 'not_due';

type LiveGrant = { live: true; accessToken: string; zoomUserId: string } | { live: false };

/**
 * Revokes dropped grants at Zoom, one attempt per call, only orphans: Zoom treats a revoke as
 * removing the app for that Zoom user, cutting every grant of theirs, so a grant whose Zoom user
 * another stored connection holds is forgotten instead. The revoke is made with a live token (an
 * expired access token names nothing at Zoom and is answered 200 all the same): GET /users/me
 * proves it alive (and names the Zoom user), after a refresh when it expired. A dead grant needs
 * no revoke. Attempts of one revocation never overlap (an advisory lock), since a refresh rotates
 * the refresh token and a second refresher would take the grant for dead.
 */
export function createRevocationProcessor(deps: RevocationProcessorDeps) {
  const { store, tokens } = deps;
  const now = () => deps.clock.now();
  /** A stored connection, or a pending grant awaiting its confirmation, holds that Zoom user. */
  const held = async (id: string, zoomUserId: string, trx: Knex = deps.db) =>
    (await tokens.findUserIdsByZoomUid(zoomUserId, undefined, trx)).length > 0 ||
    (await store.pendingGrantOf(zoomUserId, now(), id, trx));

  /** A live access token of the grant, refreshed (and stored) first when expired; or dead. */
  async function liveGrant(r: PendingRevocation): Promise<LiveGrant> {
    let { accessToken, refreshToken } = r;
    let refreshed = false;
    const refresh = async () => {
      const answer = await deps.zoomOAuth.refresh(refreshToken);
      const accessExpiresAt = new Date(now().getTime() + answer.expires_in * 1000);
      ({ access_token: accessToken, refresh_token: refreshToken } = answer);
      // The old refresh token died at Zoom: the new pair is kept before anything else happens.
      await store.saveRefreshedTokens(r.id, { accessToken, refreshToken, accessExpiresAt });
      refreshed = true;
    };
    try {
      if (r.accessExpiresAt && r.accessExpiresAt.getTime() - now().getTime() <= REFRESH_MARGIN_MS)
        await refresh();
      let me;
      try {
        me = await deps.zoomApi.getMe(accessToken);
      } catch (error) {
        if (refreshed || !isProviderError(error, 'invalid-connection') || error.code !== 124) throw error;
        await refresh(); // "Access token is expired": Zoom says so
        me = await deps.zoomApi.getMe(accessToken);
      }
      return { live: true, accessToken, zoomUserId: me.id };
    } catch (error) {
      // invalid_grant on the refresh, 124 right after one, 1001 (the Zoom user is gone).
      if (isProviderError(error, 'invalid-connection')) return { live: false };
      throw error;
    }
  }

  /** The revoke itself, with the row locked so that a withdraw cannot slip in between. */
  async function revokeOrphan(id: string, grant: { accessToken: string; zoomUserId: string }) {
    return deps.db.transaction(async (trx): Promise<ProcessResult> => {
      if (!(await store.lockPending(id, trx))) return 'not_due';
      // In `trx`: a second connection per attempt could exhaust the pool under concurrent attempts.
      const outcome = (await held(id, grant.zoomUserId, trx)) ? 'forgotten' : 'revoked';
      if (outcome === 'revoked') await deps.zoomOAuth.revoke(grant.accessToken);
      await store.finish(id, outcome, now(), trx);
      return outcome;
    });
  }

  async function attempt(r: PendingRevocation): Promise<ProcessResult> {
    if (r.zoomUserId !== null && (await held(r.id, r.zoomUserId))) return finish(r, 'forgotten');
    const grant = await liveGrant(r);
    if (!grant.live) return finish(r, 'already_dead');
    // Zoom said the app was removed, yet the grant answers: the event outran the removal, or is a
    // replay. A revoke would add nothing but could cut a grant the tutor made since.
    if (r.reason === 'deauthorized') return finish(r, 'forgotten');
    if (r.zoomUserId === null) await store.setZoomUser(r.id, grant.zoomUserId);
    const result = await revokeOrphan(r.id, grant);
    if (result !== 'not_due') logOutcome(r, result, grant.zoomUserId);
    return result;
  }

  async function finish(r: PendingRevocation, outcome: RevocationOutcome): Promise<ProcessResult> {
    if (!(await store.finish(r.id, outcome, now()))) return 'not_due';
    logOutcome(r, outcome, r.zoomUserId);
    return outcome;
  }

  function logOutcome(r: PendingRevocation, outcome: ProcessResult, zoomUserId: string | null): void {
    deps.logger.info(
      { revocationId: r.id, reason: r.reason, tutorId: r.userId, zoomUserId, outcome, attempts: r.attempts },
      `dropped Zoom grant ${outcome}`,
    );
  }

  return {
    listDue: (limit: number): Promise<string[]> => store.listDueIds(now(), limit),

    /**
     * One attempt at one revocation, if it is still pending and due. A failure books the next
     * attempt with backoff (later still when Zoom asked, Retry-After) and is kept as `last_error`.
     */
    async process(id: string): Promise<ProcessResult> {
      return deps.locks.withLock(`grant-revocation:${id}`, async () => {
        const made = await store.dueAttempts(id, now());
        if (made === undefined) return 'not_due';
        const attempts = made + 1;
        await store.startAttempt(
          id,
          attempts,
          new Date(now().getTime() + retryDelayMs(attempts, deps.firstRetryMs)),
        );
        try {
          const pending = await store.findPending(id);
          return pending ? await attempt({ ...pending, attempts }) : 'not_due';
        } catch (error) {
          // Provider and key-ring messages never carry secrets; a query's text might carry ciphertext.
          const message =
            isProviderError(error) || error instanceof DecryptionError
              ? error.message
              : `internal error (${errorName(error)})`;
          const retryAfterMs = isProviderError(error) ? error.retryAfterMs : undefined;
          await store.recordFailure(
            id,
            message,
            retryAfterMs === undefined ? undefined : new Date(now().getTime() + retryAfterMs),
          );
          deps.logger.warn(
            { revocationId: id, attempts, err: errorText(error) },
            'revoking a dropped Zoom grant failed; it will be retried',
          );
          return 'retrying';
        }
      });
    },
  };
}
export type RevocationProcessor = ReturnType<typeof createRevocationProcessor>;

const errorName = (error: unknown): string => (error instanceof Error ? error.name : typeof error);
const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
