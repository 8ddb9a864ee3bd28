import { ConsentPolicy, type ConsentRule, type ConsentState } from './consent';
import { joinPage, startPage } from './link-pages';
import { meetingResource, MeetingStore, type StoredMeeting } from './meetings';
import * as oauth from './oauth';
import { resolveSettings, type ZoomAppOptions, type ZoomModelOptions, type ZoomSettings } from './options';
import { newSecret } from './random';
import { DailyMeetingLimiter, PerSecondLimiter, type DailyWindows } from './rate-limits';
import { formFields, type ZoomReply, type ZoomRequest } from './replies';
import { bearerToken, getUser, type RestContext } from './rest-auth';
import * as meetings from './rest-meetings';
import { TokenSigner } from './signed-token';
import { StartLinks } from './start-links';
import { TokenStore, type TokenStoreState } from './tokens';
import { DEMO_USER, UserDirectory, type NewUser, type ZoomUser } from './users';
import { formatZoomTime } from './zoned-time';

export interface ZoomState {
  version: 1;
  secret: string;
  users: ZoomUser[];
  tokens: TokenStoreState;
  meetings: StoredMeeting[];
  consent: ConsentState;
  daily: DailyWindows;
}

export interface ConsentRequest {
  decision: ConsentRule['decision'];
  userId?: string;
  email?: string;
  for?: ConsentRule['for'];
}

export interface Deauthorization {
  user: ZoomUser;
  revokedGrants: number;
  time: string;
}

/**
 * The whole Zoom emulator without HTTP: state plus handlers that take a request and answer a
 * reply. The HTTP layer (emulator.ts) only maps routes onto these methods.
 */
export class ZoomModel {
  readonly app: ZoomAppOptions;
  readonly settings: ZoomSettings;
  readonly users: UserDirectory;
  readonly tokens: TokenStore;
  readonly meetings = new MeetingStore();
  readonly consent: ConsentPolicy;
  private secret = newSecret();
  private readonly rest: RestContext;
  /** Told when a revoke removed our app for a user (the control then sends `app_deauthorized`). */
  onAppRemoved?: (deauthorization: Deauthorization) => void;

  constructor(
    options: ZoomModelOptions,
    private readonly clock: { nowMs(): number },
  ) {
    const { clientId, clientSecret, redirectUris, webhookSecretToken, verificationToken, webhookUrl } =
      options;
    this.app = { clientId, clientSecret, redirectUris, webhookSecretToken, verificationToken, webhookUrl };
    this.settings = resolveSettings(options);
    const now = (): number => this.clock.nowMs();
    const settings = (): ZoomSettings => this.settings;
    const signer = new TokenSigner(() => this.secret);
    this.users = new UserDirectory(() => formatZoomTime(now()));
    this.users.create(DEMO_USER);
    this.consent = new ConsentPolicy(DEMO_USER.id);
    this.tokens = new TokenStore(now, settings, signer);
    this.rest = {
      users: this.users,
      tokens: this.tokens,
      meetings: this.meetings,
      daily: new DailyMeetingLimiter(now, settings),
      perSecond: new PerSecondLimiter(now, settings),
      startLinks: new StartLinks(signer, now, () => this.settings.startUrlTtlSeconds),
      nowMs: now,
    };
  }

  // --- HTTP-facing handlers -------------------------------------------------------------

  authorize(req: ZoomRequest, baseUrl: string): ZoomReply {
    return oauth.authorize(req, this.oauthContext(baseUrl));
  }

  token(req: ZoomRequest, baseUrl: string): ZoomReply {
    return oauth.token(req, this.oauthContext(baseUrl));
  }

  revoke(req: ZoomRequest, baseUrl: string): ZoomReply {
    return oauth.revoke(req, this.oauthContext(baseUrl));
  }

  getUser(req: ZoomRequest, userParam: string, baseUrl: string): ZoomReply {
    return getUser(req, userParam, this.rest, baseUrl);
  }

  createMeeting(req: ZoomRequest, userParam: string, baseUrl: string): ZoomReply {
    return meetings.createMeeting(req, userParam, this.rest, baseUrl);
  }

  listMeetings(req: ZoomRequest, userParam: string, baseUrl: string): ZoomReply {
    return meetings.listMeetings(req, userParam, this.rest, baseUrl);
  }

  getMeeting(req: ZoomRequest, idParam: string, baseUrl: string): ZoomReply {
    return meetings.getMeeting(req, idParam, this.rest, baseUrl);
  }

  updateMeeting(req: ZoomRequest, idParam: string): ZoomReply {
    return meetings.updateMeeting(req, idParam, this.rest);
  }

  deleteMeeting(req: ZoomRequest, idParam: string): ZoomReply {
    return meetings.deleteMeeting(req, idParam, this.rest);
  }

  startPage(idParam: string, query: URLSearchParams): ZoomReply {
    return startPage(idParam, query, this.rest);
  }

  joinPage(idParam: string, query: URLSearchParams): ZoomReply {
    return joinPage(idParam, query, this.rest);
  }

  /** The Zoom user behind a request, so that fault rules can match by user. */
  identify(req: ZoomRequest): { user?: string } {
    const token = bearerToken(req);
    let user: string | undefined;
    if (token) user = this.tokens.tokenUser(token);
    else if (req.path === '/oauth/token') {
      const fields = formFields(req);
      const refresh = fields.get('refresh_token');
      const code = fields.get('code');
      user = refresh ? this.tokens.tokenUser(refresh) : code ? this.tokens.codeUser(code) : undefined;
    }
    return user ? { user } : {};
  }

  // --- control ------------------------------------------------------------------------

  createUser(input: NewUser = {}): ZoomUser {
    return this.users.create(input);
  }

  /** Deletes a user: their calls answer 1001 from now on. */
  deleteUser(idOrEmail: string): boolean {
    const user = this.users.find(idOrEmail);
    return user !== undefined && this.users.delete(user.id);
  }

  /** Revokes every token of the user, as when they remove the app; the caller may send app_deauthorized. */
  deauthorizeUser(idOrEmail: string): Deauthorization | undefined {
    const user = this.users.find(idOrEmail);
    if (!user) return undefined;
    return {
      user,
      revokedGrants: this.tokens.revokeUser(user.id),
      time: new Date(this.clock.nowMs()).toISOString(),
    };
  }

  revokeToken(token: string): boolean {
    return this.tokens.revokeToken(token);
  }

  setConsent(request: ConsentRequest): void {
    const user = request.userId ?? request.email;
    const found = user === undefined ? undefined : this.users.find(user);
    if (user !== undefined && !found) throw new Error(`No Zoom user ${user}`);
    this.consent.set({ decision: request.decision, userId: found?.id, for: request.for });
  }

  updateSettings(changes: Partial<ZoomSettings>): ZoomSettings {
    Object.assign(this.settings, resolveSettings({ ...this.settings, ...changes }));
    return { ...this.settings };
  }

  /** Meetings as GET /meetings/{id} would show them, for assertions; optionally one host's. */
  meetingsFor(baseUrl: string, hostIdOrEmail?: string): Array<Record<string, unknown>> {
    const host = hostIdOrEmail === undefined ? undefined : this.users.find(hostIdOrEmail);
    if (hostIdOrEmail !== undefined && !host) return [];
    return this.meetings
      .all()
      .filter((m) => !host || m.hostId === host.id)
      .map((m) => {
        const owner = this.users.find(m.hostId) ?? this.users.toJSON().find((u) => u.id === m.hostId);
        return owner
          ? meetingResource(m, owner, baseUrl, this.rest.startLinks.startUrl(baseUrl, m.id, owner.id))
          : {};
      });
  }

  stats(): Record<string, unknown> {
    return { ...this.tokens.counts(), meetings: this.meetings.size, users: this.users.list().length };
  }

  dailyUsed(idOrEmail: string): number {
    const user = this.users.find(idOrEmail);
    return user ? this.rest.daily.used(user.id) : 0;
  }

  snapshot(): ZoomState {
    return {
      version: 1,
      secret: this.secret,
      users: this.users.toJSON(),
      tokens: this.tokens.snapshot(),
      meetings: this.meetings.all(),
      consent: this.consent.snapshot(),
      daily: this.rest.daily.snapshot(),
    };
  }

  restore(state: ZoomState): void {
    if (state.version !== 1) throw new Error(`Unknown Zoom emulator state version ${String(state.version)}`);
    this.secret = state.secret;
    this.users.restore(state.users);
    this.tokens.restore(state.tokens);
    this.meetings.restore(state.meetings);
    this.consent.restore(state.consent);
    this.rest.daily.restore(state.daily);
  }

  private oauthContext(baseUrl: string): oauth.OAuthContext {
    return {
      app: this.app,
      settings: this.settings,
      tokens: this.tokens,
      users: this.users,
      consent: this.consent,
      baseUrl,
      removeApp: (userId) => {
        const done = this.deauthorizeUser(userId);
        if (done) this.onAppRemoved?.(done);
      },
    };
  }
}
