import { createHash, randomBytes } from 'node:crypto';
import { basicAuth, parseAnswer, providerFetch } from '../http';
import { classifyZoom } from './classify';
import type { ZoomConfig } from './env';
import { tokenResponse, type ZoomTokens } from './schemas';

/** The S256 challenge of a PKCE verifier (RFC 7636): base64url(SHA-256(verifier)). */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** A fresh PKCE pair: the verifier stays with us (43 characters), the challenge goes to Zoom. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

export interface ZoomOAuthClient {
  /** The consent-screen URL for a browser redirect, with a PKCE S256 challenge. */
  authorizeUrl(input: { state: string; codeChallenge: string }): string;
  /** Trades a code (5 minutes, single use) for tokens. A bad or used code is invalid-connection. */
  exchangeCode(input: { code: string; codeVerifier: string }): Promise<ZoomTokens>;
  /**
   * Trades a refresh token for new tokens. The old refresh token dies at once (rotation); reusing
   * it is invalid_grant, so a caller must store the answer before anything else.
   */
  refresh(refreshToken: string): Promise<ZoomTokens>;
  /** Revokes the grant behind an access token. */
  revoke(accessToken: string): Promise<void>;
}

type OAuthConfig = Pick<
  ZoomConfig,
  'clientId' | 'clientSecret' | 'redirectUri' | 'oauthBaseUrl' | 'timeoutMs'
>;

export function createZoomOAuthClient(config: OAuthConfig): ZoomOAuthClient {
  const post = async (path: string, form: Record<string, string>) =>
    providerFetch(
      {
        provider: 'zoom',
        method: 'POST',
        url: `${config.oauthBaseUrl}${path}`,
        headers: { authorization: basicAuth(config.clientId, config.clientSecret) },
        form,
        timeoutMs: config.timeoutMs,
      },
      classifyZoom,
    );

  return {
    authorizeUrl({ state, codeChallenge }) {
      const url = new URL(`${config.oauthBaseUrl}/oauth/authorize`);
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: config.clientId,
        redirect_uri: config.redirectUri,
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      }).toString();
      return url.toString();
    },
    async exchangeCode({ code, codeVerifier }) {
      const answer = await post('/oauth/token', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: config.redirectUri,
        code_verifier: codeVerifier,
      });
      return parseAnswer(tokenResponse, answer);
    },
    async refresh(refreshToken) {
      const answer = await post('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken });
      return parseAnswer(tokenResponse, answer);
    },
    async revoke(accessToken) {
      await post('/oauth/revoke', { token: accessToken });
    },
  };
}
