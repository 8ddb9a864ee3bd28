import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Context } from 'koa';
import { bearerToken, sameSecret } from '../auth';
import { HttpError } from '../http-error';
import type { CodecServerEnv } from './env';

export type CodecAuth = (ctx: Context) => Promise<void>;

const unauthorized = (message: string): HttpError => new HttpError(401, 'unauthorized', message);

const isLoopback = (address: string | undefined): boolean =>
  !!address && (address === '::1' || /^(::ffff:)?127\./.test(address));

/**
 * Who may use the codec server: the holder of CODEC_AUTH_TOKEN (the CLI's --codec-auth), or a UI user
 * whose access token the identity provider's key set verifies (the UI's passAccessToken); with
 * CODEC_OPEN_ON_LOOPBACK (local stacks), anyone on this machine.
 */
export function createCodecAuth(env: CodecServerEnv): CodecAuth {
  const checkCredential = credentialCheck(env);
  if (!env.CODEC_OPEN_ON_LOOPBACK) return checkCredential;
  return async (ctx) => {
    if (!isLoopback(ctx.req.socket.remoteAddress)) await checkCredential(ctx);
  };
}

function credentialCheck(env: CodecServerEnv): CodecAuth {
  const jwks = env.CODEC_JWKS_URL ? createRemoteJWKSet(new URL(env.CODEC_JWKS_URL)) : undefined;
  if (!env.CODEC_AUTH_TOKEN && !jwks) {
    return async () => {
      throw unauthorized('The codec server is off: set CODEC_AUTH_TOKEN or CODEC_JWKS_URL to use it');
    };
  }
  return async (ctx) => {
    const token = bearerToken(ctx);
    if (!token) throw unauthorized('Send Authorization: Bearer <codec token or access token>');
    if (env.CODEC_AUTH_TOKEN && sameSecret(token, env.CODEC_AUTH_TOKEN)) return;
    if (jwks) {
      try {
        await jwtVerify(token, jwks, { issuer: env.CODEC_JWT_ISSUER, audience: env.CODEC_JWT_AUDIENCE });
        return;
      } catch {
        // refused below, without saying which check failed
      }
    }
    throw unauthorized('The codec token or access token is not valid');
  };
}
