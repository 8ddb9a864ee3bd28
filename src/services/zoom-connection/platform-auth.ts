import { jwtVerify, type JWTPayload } from 'jose';
import type { Clock } from '../../clock';
import type { AppEnv } from '../../config/app-env';
import { isSafeText, TEXT_LIMITS } from '../../schemas/text';

/** How platform JWTs are checked: PLATFORM_JWT_* settings, and the service's clock. */
export interface PlatformJwtSettings {
  secret: string;
  /** The oldest `iat` accepted, and the longest `exp − iat`. */
  maxAgeSeconds: number;
  /** Skew allowed on `iat`, `nbf` and `exp`. */
  toleranceSeconds: number;
  audience?: string;
  issuer?: string;
  clock: Clock;
}

type PlatformJwtEnv = Pick<
  AppEnv,
  | 'PLATFORM_JWT_SECRET'
  | 'PLATFORM_JWT_MAX_AGE_SECONDS'
  | 'PLATFORM_JWT_CLOCK_TOLERANCE_SECONDS'
  | 'PLATFORM_JWT_AUDIENCE'
  | 'PLATFORM_JWT_ISSUER'
>;

export const platformJwtSettings = (env: PlatformJwtEnv, clock: Clock): PlatformJwtSettings => ({
  secret: env.PLATFORM_JWT_SECRET,
  maxAgeSeconds: env.PLATFORM_JWT_MAX_AGE_SECONDS,
  toleranceSeconds: env.PLATFORM_JWT_CLOCK_TOLERANCE_SECONDS,
  audience: env.PLATFORM_JWT_AUDIENCE,
  issuer: env.PLATFORM_JWT_ISSUER,
  clock,
});

export interface PlatformJwtVerifier {
  /** The platform user id (`sub`) of a valid token, else undefined. */
  verify(token: string): Promise<string | undefined>;
}

/**
 * The platform's user id: Laravel's ids are integers, so a numeric `sub` is read as its decimal
 * string. Anything that could not be a user id (empty, too long, a NUL or another control
 * character) makes the token invalid: a 401, never a 500 further on.
 */
function userIdOf(sub: unknown): string | undefined {
  const id = typeof sub === 'number' && Number.isSafeInteger(sub) && sub >= 0 ? String(sub) : sub;
  if (typeof id !== 'string' || id.length === 0 || id.length > TEXT_LIMITS.id || !isSafeText(id))
    return undefined;
  return id;
}

/** A token meant to live longer than the maximum age is refused even while it is young. */
const livesTooLong = (payload: JWTPayload, maxAgeSeconds: number): boolean =>
  (payload.exp as number) - (payload.iat as number) > maxAgeSeconds;

/** Tutors arrive with a short-lived HS256 JWT from the platform; `sub` is the platform's user id. */
export function createPlatformJwtVerifier(settings: PlatformJwtSettings): PlatformJwtVerifier {
  const key = new TextEncoder().encode(settings.secret);
  return {
    async verify(token) {
      try {
        // jose checks exp, nbf and the age of iat (in the past, within the maximum) with the tolerance.
        const { payload } = await jwtVerify(token, key, {
          algorithms: ['HS256'],
          requiredClaims: ['exp', 'iat'],
          maxTokenAge: settings.maxAgeSeconds,
          clockTolerance: settings.toleranceSeconds,
          currentDate: settings.clock.now(),
          audience: settings.audience,
          issuer: settings.issuer,
        });
        if (livesTooLong(payload, settings.maxAgeSeconds)) return undefined;
        return userIdOf(payload.sub);
      } catch {
        return undefined;
      }
    },
  };
}
