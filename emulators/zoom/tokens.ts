import { randomAlnum } from './random';
import { TokenSigner } from './signed-token';

/** One user's authorization of the app: its current refresh token and its live access tokens. */
export interface Grant {
  id: string;
  userId: string;
  clientId: string;
  scope: string;
  refreshTid: string;
  refreshExpiresAtMs: number;
  accessTids: string[];
}

interface AccessRecord {
  grantId: string;
  userId: string;
  expiresAtMs: number;
}

export interface CodeRecord {
  clientId: string;
  userId: string;
  redirectUri: string;
  codeChallenge?: string;
  expiresAtMs: number;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  scope: string;
}

export type AccessCheck =
  { state: 'valid'; userId: string; grantId: string } | { state: 'expired' } | { state: 'invalid' };

export interface TokenLifetimes {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  authorizationCodeTtlSeconds: number;
}

export interface TokenCounters {
  codeExchanges: number;
  refreshes: number;
  refreshFailures: number;
  refreshesByUser: Record<string, number>;
}

export interface TokenStoreState {
  codes: Array<[string, CodeRecord]>;
  grants: Grant[];
  access: Array<[string, AccessRecord]>;
  counters: TokenCounters;
}

const PRUNE_EVERY_OPS = 1000;
const PRUNE_EVERY_MS = 60_000;

/**
 * Authorization codes, grants, access and refresh tokens. Every method is synchronous, so a
 * refresh's check-and-rotate is atomic: of many concurrent refreshes with one token, one wins.
 * Dead entries are pruned by expiry, so memory follows the live set, not the request count.
 */
export class TokenStore {
  private codes = new Map<string, CodeRecord>();
  private grants = new Map<string, Grant>();
  private access = new Map<string, AccessRecord>();
  private refreshIndex = new Map<string, string>();
  private counters: TokenCounters = {
    codeExchanges: 0,
    refreshes: 0,
    refreshFailures: 0,
    refreshesByUser: {},
  };
  private opsSincePrune = 0;
  private lastPruneMs = 0;

  constructor(
    private readonly nowMs: () => number,
    private readonly lifetimes: () => TokenLifetimes,
    private readonly signer: TokenSigner,
  ) {}

  issueCode(record: Omit<CodeRecord, 'expiresAtMs'>): string {
    this.maybePrune();
    const code = randomAlnum(32);
    this.codes.set(code, {
      ...record,
      expiresAtMs: this.nowMs() + this.lifetimes().authorizationCodeTtlSeconds * 1000,
    });
    return code;
  }

  /** A code works once: taking it removes it, whether or not the exchange then succeeds. */
  takeCode(code: string): CodeRecord | undefined {
    const record = this.codes.get(code);
    this.codes.delete(code);
    return record && record.expiresAtMs > this.nowMs() ? record : undefined;
  }

  codeUser(code: string): string | undefined {
    return this.codes.get(code)?.userId;
  }

  createGrant(userId: string, clientId: string, scope: string): IssuedTokens {
    this.maybePrune();
    this.counters.codeExchanges++;
    const grant: Grant = {
      id: randomAlnum(16),
      userId,
      clientId,
      scope,
      refreshTid: '',
      refreshExpiresAtMs: 0,
      accessTids: [],
    };
    this.grants.set(grant.id, grant);
    return this.issue(grant);
  }

  /** Strict rotation: the presented refresh token dies at once, whatever happens next. */
  rotate(refreshToken: string, clientId: string): IssuedTokens | undefined {
    this.maybePrune();
    const grant = this.grantOfRefresh(refreshToken);
    if (!grant || grant.clientId !== clientId) {
      this.counters.refreshFailures++;
      return undefined;
    }
    this.refreshIndex.delete(grant.refreshTid);
    this.counters.refreshes++;
    this.counters.refreshesByUser[grant.userId] = (this.counters.refreshesByUser[grant.userId] ?? 0) + 1;
    return this.issue(grant);
  }

  /** The user a token of ours names, live or not (for matching fault rules by user). */
  tokenUser(token: string): string | undefined {
    const uid = this.signer.verify(token)?.uid;
    return typeof uid === 'string' ? uid : undefined;
  }

  checkAccess(token: string): AccessCheck {
    const payload = this.signer.verify(token);
    if (!payload || payload.typ !== 'access' || typeof payload.tid !== 'string') return { state: 'invalid' };
    if (typeof payload.exp !== 'number' || payload.exp * 1000 <= this.nowMs()) return { state: 'expired' };
    const record = this.access.get(payload.tid);
    return record ? { state: 'valid', userId: record.userId, grantId: record.grantId } : { state: 'invalid' };
  }

  /** Revokes the grant behind an access or refresh token; false when it names nothing live. */
  revokeToken(token: string): boolean {
    const payload = this.signer.verify(token);
    if (!payload || typeof payload.tid !== 'string') return false;
    const grantId =
      payload.typ === 'access' ? this.access.get(payload.tid)?.grantId : this.refreshIndex.get(payload.tid);
    return grantId !== undefined && this.revokeGrant(grantId);
  }

  /**
   * The user of the live grant behind an unexpired access token or a current refresh token: an
   * expired access token names nothing (Zoom answers its revoke 200 and changes nothing).
   */
  liveGrantUser(token: string): string | undefined {
    const payload = this.signer.verify(token);
    if (!payload || typeof payload.tid !== 'string') return undefined;
    if (payload.typ === 'refresh') return this.grantOfRefresh(token)?.userId;
    const record = payload.typ === 'access' ? this.access.get(payload.tid) : undefined;
    return record && record.expiresAtMs > this.nowMs() && this.grants.has(record.grantId)
      ? record.userId
      : undefined;
  }

  /** Revokes every grant of a user (deauthorization); answers how many there were. */
  revokeUser(userId: string): number {
    const ids = [...this.grants.values()].filter((g) => g.userId === userId).map((g) => g.id);
    for (const id of ids) this.revokeGrant(id);
    for (const code of [...this.codes.keys()])
      if (this.codes.get(code)?.userId === userId) this.codes.delete(code);
    return ids.length;
  }

  counts(): TokenCounters & { liveGrants: number; liveAccessTokens: number; pendingCodes: number } {
    return {
      ...this.counters,
      refreshesByUser: { ...this.counters.refreshesByUser },
      liveGrants: this.grants.size,
      liveAccessTokens: this.access.size,
      pendingCodes: this.codes.size,
    };
  }

  prune(): void {
    const now = this.nowMs();
    this.opsSincePrune = 0;
    this.lastPruneMs = now;
    for (const [code, record] of this.codes) if (record.expiresAtMs <= now) this.codes.delete(code);
    for (const [tid, record] of this.access) if (record.expiresAtMs <= now) this.access.delete(tid);
    for (const grant of this.grants.values()) {
      if (grant.refreshExpiresAtMs <= now) this.revokeGrant(grant.id);
      else grant.accessTids = grant.accessTids.filter((tid) => this.access.has(tid));
    }
  }

  snapshot(): TokenStoreState {
    this.prune();
    return {
      codes: [...this.codes],
      grants: [...this.grants.values()],
      access: [...this.access],
      counters: this.counts(),
    };
  }

  restore(state: TokenStoreState): void {
    this.codes = new Map(state.codes);
    this.grants = new Map(state.grants.map((g) => [g.id, g]));
    this.access = new Map(state.access);
    this.refreshIndex = new Map(state.grants.map((g) => [g.refreshTid, g.id]));
    const { codeExchanges, refreshes, refreshFailures, refreshesByUser } = state.counters;
    this.counters = { codeExchanges, refreshes, refreshFailures, refreshesByUser: { ...refreshesByUser } };
  }

  private issue(grant: Grant): IssuedTokens {
    const now = this.nowMs();
    const { accessTokenTtlSeconds, refreshTokenTtlSeconds } = this.lifetimes();
    const accessTid = randomAlnum(20);
    const accessExpiresAtMs = now + accessTokenTtlSeconds * 1000;
    this.access.set(accessTid, { grantId: grant.id, userId: grant.userId, expiresAtMs: accessExpiresAtMs });
    grant.accessTids = [...grant.accessTids.filter((tid) => this.access.has(tid)), accessTid];
    grant.refreshTid = randomAlnum(20);
    grant.refreshExpiresAtMs = now + refreshTokenTtlSeconds * 1000;
    this.refreshIndex.set(grant.refreshTid, grant.id);
    const iat = Math.floor(now / 1000);
    const claims = { uid: grant.userId, aud: 'https://oauth.zoom.us', iss: 'zm:cid:' + grant.clientId, iat };
    return {
      accessToken: this.signer.sign({
        typ: 'access',
        tid: accessTid,
        ...claims,
        exp: Math.floor(accessExpiresAtMs / 1000),
      }),
      refreshToken: this.signer.sign({
        typ: 'refresh',
        tid: grant.refreshTid,
        ...claims,
        exp: Math.floor(grant.refreshExpiresAtMs / 1000),
      }),
      expiresIn: accessTokenTtlSeconds,
      scope: grant.scope,
    };
  }

  private grantOfRefresh(refreshToken: string): Grant | undefined {
    const payload = this.signer.verify(refreshToken);
    if (!payload || payload.typ !== 'refresh' || typeof payload.tid !== 'string') return undefined;
    const grantId = this.refreshIndex.get(payload.tid);
    const grant = grantId === undefined ? undefined : this.grants.get(grantId);
    return grant && grant.refreshTid === payload.tid && grant.refreshExpiresAtMs > this.nowMs()
      ? grant
      : undefined;
  }

  private revokeGrant(grantId: string): boolean {
    const grant = this.grants.get(grantId);
    if (!grant) return false;
    this.grants.delete(grantId);
    this.refreshIndex.delete(grant.refreshTid);
    for (const tid of grant.accessTids) this.access.delete(tid);
    return true;
  }

  private maybePrune(): void {
    if (++this.opsSincePrune >= PRUNE_EVERY_OPS || this.nowMs() - this.lastPruneMs >= PRUNE_EVERY_MS)
      this.prune();
  }
}
