import { createHash, randomBytes } from 'node:crypto';
import { basicAuth, providerFetch } from '../http';
import { classifyZoom } from './classify';
import type { ZoomConfig } from './env';
import { tokenResponse, type ZoomTokens } from './schemas';

/** PKCE (RFC 7636, S256): the verifier stays with us, the challenge goes to Zoom. */
export function createPkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface ZoomOAuthClient {
  authorizeUrl(input: { state: string; codeChallenge: string }): string;
  exchangeCode(input: { code: string; codeVerifier: string }): Promise<ZoomTokens>;
  refresh(refreshToken: string): Promise<ZoomTokens>;
  revoke(accessToken: string): Promise<void>;
}

export function createZoomOAuthClient(config: ZoomConfig): ZoomOAuthClient {
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
      const { body } = await post('/oauth/token', {
        grant_type: 'authorization_code',
        code,
        redirect_uri: config.redirectUri,
        code_verifier: codeVerifier,
      });
      return tokenResponse.parse(body);
    },
    async refresh(refreshToken) {
      const { body } = await post('/oauth/token', {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      });
      return tokenResponse.parse(body);
    },
    async revoke(accessToken) {
      await post('/oauth/revoke', { token: accessToken });
    },
  };
}
