import { SignJWT } from 'jose';

/** A tiny cookie jar that follows redirects by hand, the way a browser walks an OAuth flow. */
export class Browser {
  private cookies = new Map<string, string>();

  get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(url, { headers });
  }

  post(url: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send(url, { method: 'POST', body, headers });
  }

  private async send(
    url: string,
    init: { method?: string; body?: string; headers: Record<string, string> },
  ): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...init.headers, ...(cookie ? { cookie } : {}) },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      const value = rest.join('=');
      if (!name) continue;
      if (value === '' || /max-age=0|expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    return response;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }
}

export function location(response: Response): string {
  const target = response.headers.get('location');
  if (!target) throw new Error(`expected a redirect, got ${response.status}`);
  return target;
}

export interface PlatformJwtOptions {
  /** From iat to exp; the service refuses more than PLATFORM_JWT_MAX_AGE_SECONDS (300 by default). */
  lifetimeSeconds?: number;
  /** Now by default; pass `stack.clock.now()` when a test has moved the service's clock. */
  issuedAt?: Date;
}

/** A platform JWT as the platform mints it: HS256, sub, iat and exp. */
export async function platformJwt(
  secret: string,
  userId: string,
  { lifetimeSeconds = 300, issuedAt = new Date() }: PlatformJwtOptions = {},
): Promise<string> {
  const iat = Math.floor(issuedAt.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetimeSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** The `error` code of a JSON error answer. */
export async function errorOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: string }).error;
}
