import type { Knex } from 'knex';
import type { Clock } from '../../clock';
import type { ConnectionEventsStore } from '../../db/stores/connection-events-store';
import type { ReconnectionStore } from '../../db/stores/reconnection-store';
import type { UsersStore } from '../../db/stores/users-store';
import type { Logger } from '../../logger';
import { reconnectZoomEmail } from '../email/reconnect-emails';
import type { EmailSender } from '../email/send-once';
import { reconnectLink } from '../zoom-connection/reconnect-token';
import {
  isUnreadable,
  type ListedZoomToken,
  type TokensStore,
  type ZoomTokenRow,
} from '../../db/stores/oauth-service-tokens-store';
import type { ValidationResult, ZoomTokenService } from '../zoom-connection/token-service';
import { hasReachedMaxReconnectionAttempts } from './has-reached-max-reconnection-attempts';
import { updateReconnectionAttempts } from './update-reconnection-attempts';
import { eachLimited } from '../../util/each-limited';
import { dropTakenGrant } from '../revocation/drop-taken-grant';
import type { GrantRevocations } from '../zoom-connection/grant-revocations';
import type { ZoomEvents } from '../platform-events/zoom-events';

export interface TokenSweepDeps {
  /** Only for the transaction that deletes a token and records why. */
  db: Knex;
  tokens: TokensStore;
  users: UsersStore;
  events: ConnectionEventsStore;
  /** The platform's Zoom events; none when left out (a process that only refreshes). */
  zoomEvents?: ZoomEvents;
  reconnection: ReconnectionStore;
  clock: Clock;
  logger: Logger;
  tokenService: ZoomTokenService;
  emailSender: EmailSender;
  publicBaseUrl: string;
  linkSecret: string;
  revocations: GrantRevocations;
}

export interface FailingToken {
  tokenId: string;
  tutorId: string;
  zoomUserId: string;
  email: string | null;
  reason: 'invalid' | 'transient';
}

export interface PageResult {
  processed: number;
  lastId: string | null;
  /** No token after this page: the sweep is done without asking for an empty page. */
  last: boolean;
  valid: number;
  failing: FailingToken[];
  /** Ids of the page's rows that could not be decrypted: skipped, neither validated nor counted. */
  unreadable: string[];
}

export interface PageProgress {
  validIds: string[];
  failing: FailingToken[];
}

/** `gone`: the token was deleted, by something other than this saga, before it could act. */
export type FailingTokenOutcome = 'valid' | 'reminded' | 'deleted' | 'failed' | 'gone';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The seed's ValidateZoomTokens job, steps 1 to 5, as services the sweep and the saga call. */
export function createTokenSweep(deps: TokenSweepDeps) {
  const { tokens, users, events, reconnection: store } = deps;

  /** Transient errors are retried in place a few times (honouring Retry-After, capped) before giving up. */
  async function validateWithRetries(token: string | ZoomTokenRow, attempts = 3): Promise<ValidationResult> {
    let result = await deps.tokenService.validateToken(token);
    for (let i = 1; i < attempts && result.outcome === 'transient'; i++) {
      await sleep(Math.min(result.retryAfterMs ?? 200 * 2 ** i, 2000));
      result = await deps.tokenService.validateToken(result.tokenId); // re-read: a retry may follow a refresh
    }
    return result;
  }

  /**
   * `deleted` when the saga deleted this very row (now or in an earlier try); else `otherwise`:
   * `valid` for a row reconnected since, `gone` for one removed by something else.
   */
  async function deletedEarlier(
    input: { tokenId: string; version: number },
    otherwise: 'valid' | 'gone' = 'valid',
  ): Promise<{ outcome: FailingTokenOutcome; attempts: number; tutorId?: string }> {
    const deletion = await store.deletionOf(input.tokenId, input.version);
    return deletion
      ? { outcome: 'deleted', attempts: deletion.attempts, tutorId: deletion.userId }
      : { outcome: otherwise, attempts: 0 };
  }

  return {
    validateWithRetries,

    /** Steps 1–2 for one page: validate with bounded concurrency, reset the valid ones in bulk. */
    async validatePage(input: {
      afterId: string | null;
      limit: number;
      concurrency: number;
      /** What an earlier attempt of this page already did (from its heartbeat): not redone. */
      resume?: PageProgress;
      onProgress?(progress: PageProgress): void;
    }): Promise<PageResult> {
      // One row more than the page tells whether another page follows. The first two rounds of
      // rows are read alone, so the calls start while the rest of the page is read.
      const headSize = Math.min(input.limit + 1, 2 * input.concurrency);
      const head = await tokens.listZoomTokens(input.afterId, headSize);
      const lastOfHead = head.at(-1);
      const rest =
        head.length === headSize && headSize <= input.limit && lastOfHead
          ? tokens.listZoomTokens(lastOfHead.id, input.limit + 1 - headSize)
          : Promise.resolve([]);
      const validIds: string[] = [...(input.resume?.validIds ?? [])];
      const failing: FailingToken[] = [...(input.resume?.failing ?? [])];
      const seen = new Set([...validIds, ...failing.map((f) => f.tokenId)]);
      const todo = (rows: ListedZoomToken[]) =>
        rows.filter((row): row is ZoomTokenRow => !isUnreadable(row) && !seen.has(row.id));
      const restTodo = rest.then((more) => todo(more.slice(0, Math.max(0, input.limit - head.length))));
      const validateOne = async (row: ZoomTokenRow): Promise<void> => {
        const result = await validateWithRetries(row);
        if (result.outcome === 'valid') validIds.push(row.id);
        else if (result.outcome !== 'missing')
          failing.push({
            tokenId: row.id,
            tutorId: row.userId,
            zoomUserId: row.uid,
            email: row.email,
            reason: result.outcome,
          });
        input.onProgress?.({ validIds, failing });
      };
      await eachLimited(todo(head.slice(0, input.limit)), input.concurrency, validateOne, restTodo);
      const listed = [...head, ...(await rest)];
      const rows = listed.slice(0, input.limit);
      const unreadable = rows.filter(isUnreadable);
      for (const row of unreadable)
        deps.logger.error(
          { tokenId: row.id, tutorId: row.userId, err: row.unreadable },
          'A Zoom token cannot be decrypted, so the sweep skips it: put its key back in TOKEN_ENCRYPTION_OLD_KEYS and run `npm run ops -- reencrypt`, or have the tutor reconnect',
        );
      await tokens.resetReconnectionAttempts(validIds);
      return {
        processed: rows.length,
        lastId: rows.at(-1)?.id ?? null,
        last: listed.length <= input.limit,
        valid: validIds.length,
        failing,
        unreadable: unreadable.map((row) => row.id),
      };
    },

    async resetAttempts(tokenId: string): Promise<void> {
      await store.resetAttempts(tokenId);
    },

    /**
     * Steps 3–5 for a token whose validation failed permanently, in the seed's order: email the
     * tutor (ReconnectZoom, or "Zoom was disconnected" on the last day), count the attempt, and at
     * the maximum delete the token and drop its grant for revocation. Safe to repeat on the same day.
     */
    async handleInvalidToken(input: {
      tokenId: string;
      version: number;
      day: string;
      maxAttempts: number;
    }): Promise<{ outcome: FailingTokenOutcome; attempts: number; tutorId?: string }> {
      const row = await tokens.findById(input.tokenId);
      const state = await store.attemptsOf(input.tokenId, input.version);
      // Deleted by an earlier try, or reconnected/removed: `row` is then the validated one, or nothing.
      if (!row || row.version !== input.version || !state)
        return deletedEarlier(input, row ? 'valid' : 'gone');
      const projected = state.countedOn === input.day ? state.attempts : state.attempts + 1;
      const disconnect = hasReachedMaxReconnectionAttempts(projected, input.maxAttempts);

      const user = await users.findUser(row.userId);
      const to = { email: user?.email ?? row.email ?? '', name: user?.name ?? undefined };
      if (to.email) {
        const reconnectUrl = await reconnectLink(
          row.userId,
          { secret: deps.linkSecret, publicBaseUrl: deps.publicBaseUrl },
          deps.clock.now(),
        );
        await deps.emailSender.sendOnce(
          `zoom-reconnect:${input.tokenId}:${input.day}`,
          disconnect ? 'ZoomDisconnected' : 'ReconnectZoom',
          reconnectZoomEmail({
            to,
            reconnectUrl,
            attempts: projected,
            maxAttempts: input.maxAttempts,
            disconnected: disconnect,
          }),
        );
      }
      const attempts = (await updateReconnectionAttempts(store, input)) ?? projected;
      if (!disconnect) {
        // Once a day, like the count: a retried saga step adds no second 'reminded' line.
        if (state.countedOn !== input.day) await events.record(row.userId, 'reminded', `attempt ${attempts}`);
        // Unconditionally, once per token and day by its key: a retry after a crash still writes it.
        await deps.zoomEvents?.reconnectionNeeded(row.userId, { ...input, attempt: attempts });
        return { outcome: 'reminded', attempts, tutorId: row.userId };
      }
      // The deletion, its record and the drop of the validated grant (never a reconnection made
      // since: the version moves with every token) commit together, so a retry whose first try
      // deleted still answers `deleted`, and the grant is revoked at Zoom durably.
      await deps.db.transaction(async (trx) => {
        if (!(await tokens.deleteIfUnchanged(input.tokenId, input.version, trx))) return;
        await dropTakenGrant(deps, row, 'max_reconnection_attempts', trx);
        await store.recordDeletion({ ...input, userId: row.userId, attempts }, trx);
        await events.record(row.userId, 'deleted', `after ${attempts} failed days`, trx);
        await deps.zoomEvents?.disconnected(row.userId, 'max_reconnection_attempts', trx);
      });
      return deletedEarlier(input);
    },
  };
}
export type TokenSweep = ReturnType<typeof createTokenSweep>;
