import { createHash, timingSafeEqual } from 'node:crypto';
import type { ConsentPolicy, ConsentOutcome } from './consent';
import type { ZoomAppOptions, ZoomSettings } from './options';
import { consentPage, messagePage } from './pages';
import {
  formFields,
  header,
  invalidClient,
  invalidGrant,
  invalidRequest,
  redirect,
  type ZoomReply,
  type ZoomRequest,
} from './replies';
import type { IssuedTokens, TokenStore } from './tokens';
import type { UserDirectory } from './users';

/** Zoom's OAuth endpoints for a user-managed app: /oauth/authorize, /oauth/token, /oauth/revoke. */
export interface OAuthContext {
  app: ZoomAppOptions;
  settings: ZoomSettings;
  tokens: TokenStore;
  users: UserDirectory;
  consent: ConsentPolicy;
  baseUrl: string;
  /** Removes our app for that Zoom user: every grant goes, and Zoom sends `app_deauthorized`. */
  removeApp(userId: string): void;
}

const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** GET (and the consent form's POST) /oauth/authorize. */
export function authorize(req: ZoomRequest, ctx: OAuthContext): ZoomReply {
  const params = req.method === 'POST' ? formFields(req) : req.query;
  if (params.get('client_id') !== ctx.app.clientId) {
    return messagePage(400, 'Invalid client_id', 'Invalid client_id: the app was not found (4,702).');
  }
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!ctx.app.redirectUris.includes(redirectUri)) {
    return messagePage(
      400,
      'Invalid redirect',
      'Invalid redirect: the redirect_uri is not registered for this app (4,700).',
    );
  }
  const state = params.get('state');
  const back = (fields: Record<string, string>): ZoomReply => {
    const url = new URL(redirectUri);
    for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, value);
    if (state !== null) url.searchParams.set('state', state);
    return redirect(url.toString());
  };
  if (params.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
  const challenge = params.get('code_challenge') ?? undefined;
  if (
    challenge !== undefined &&
    (params.get('code_challenge_method') !== 'S256' || !S256_CHALLENGE.test(challenge))
  ) {
    return back({ error: 'invalid_request', error_description: 'code_challenge must be S256' });
  }

  const showPage = req.method === 'GET' && (params.has('prompt') || ctx.settings.consentPage);
  if (showPage) {
    const user = ctx.users.find(ctx.consent.peek().userId);
    return user ? consentPage(params, user.email) : consentUserMissing(ctx.consent.peek());
  }
  const outcome = ctx.consent.next();
  const decision = req.method === 'POST' ? params.get('decision') : outcome.decision;
  if (decision !== 'approve') return back({ error: 'access_denied' });
  const user = ctx.users.find(outcome.userId);
  if (!user) return consentUserMissing(outcome);
  const code = ctx.tokens.issueCode({
    clientId: ctx.app.clientId,
    userId: user.id,
    redirectUri,
    codeChallenge: challenge,
  });
  return back({ code });
}

const consentUserMissing = (outcome: ConsentOutcome): ZoomReply =>
  messagePage(400, 'No such Zoom user', `The consenting Zoom user ${outcome.userId} does not exist.`);

/** POST /oauth/token: the code exchange and the refresh, both with Basic client auth. */
export function token(req: ZoomRequest, ctx: OAuthContext): ZoomReply {
  if (!clientAuthenticated(req, ctx.app)) return invalidClient();
  const fields = formFields(req);
  const grantType = fields.get('grant_type');
  if (grantType === 'authorization_code') return exchangeCode(fields, ctx);
  if (grantType === 'refresh_token') {
    const refreshToken = fields.get('refresh_token');
    if (!refreshToken) return invalidRequest();
    const issued = ctx.tokens.rotate(refreshToken, ctx.app.clientId);
    return issued ? tokenAnswer(issued, ctx.baseUrl) : invalidGrant('Invalid Token!');
  }
  return invalidRequest();
}

function exchangeCode(fields: URLSearchParams, ctx: OAuthContext): ZoomReply {
  const code = fields.get('code');
  const redirectUri = fields.get('redirect_uri');
  if (!code || !redirectUri) return invalidRequest();
  const record = ctx.tokens.takeCode(code);
  if (!record || record.clientId !== ctx.app.clientId || record.redirectUri !== redirectUri)
    return invalidGrant();
  if (record.codeChallenge !== undefined) {
    const verifier = fields.get('code_verifier') ?? '';
    const computed = createHash('sha256').update(verifier).digest('base64url');
    if (computed !== record.codeChallenge) return invalidGrant('Invalid code_verifier');
  }
  if (!ctx.users.find(record.userId)) return invalidGrant();
  return tokenAnswer(ctx.tokens.createGrant(record.userId, record.clientId, ctx.settings.scope), ctx.baseUrl);
}

function tokenAnswer(issued: IssuedTokens, baseUrl: string): ZoomReply {
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: {
      access_token: issued.accessToken,
      token_type: 'bearer',
      refresh_token: issued.refreshToken,
      expires_in: issued.expiresIn,
      scope: issued.scope,
      api_url: baseUrl,
    },
  };
}

/**
 * POST /oauth/revoke. Zoom treats it as the user removing our app: every grant of that Zoom user
 * goes (not only the one named), and `app_deauthorized` follows. Revoking a dead, expired or
 * unknown token also succeeds (RFC 7009) and changes nothing, so retries are safe.
 */
export function revoke(req: ZoomRequest, ctx: OAuthContext): ZoomReply {
  if (!clientAuthenticated(req, ctx.app)) return invalidClient();
  const tokenValue = formFields(req).get('token');
  if (!tokenValue) return invalidRequest();
  const userId = ctx.tokens.liveGrantUser(tokenValue);
  if (userId !== undefined) ctx.removeApp(userId);
  return { status: 200, body: { status: 'success' } };
}

function clientAuthenticated(req: ZoomRequest, app: ZoomAppOptions): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(header(req, 'authorization') ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(Buffer.from(match[1], 'base64').toString('utf8'));
  const expected = Buffer.from(`${app.clientId}:${app.clientSecret}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
