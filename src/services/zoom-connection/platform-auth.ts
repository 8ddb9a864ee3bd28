import { jwtVerify } from 'jose';

/** Tutors arrive with a short-lived HS256 JWT from the platform; `sub` is the platform's user id. */
export async function verifyPlatformJwt(token: string, secret: string): Promise<string | undefined> {
  try {
    // Short-lived means an `exp`: jose checks it when present, so it must be required.
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
    });
    return typeof payload.sub === 'string' && payload.sub.length > 0 ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}
