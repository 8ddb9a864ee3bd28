import { createHmac, timingSafeEqual } from 'node:crypto';

const VERIFIED_CACHE_SIZE = 100_000;

/**
 * JWT-shaped tokens signed with the emulator's own secret, like Zoom's (`eyJ…`). Clients must
 * treat them as opaque; the emulator reads them back to tell "expired" from "unknown" without
 * keeping dead tokens in memory, and to check start links without storing them.
 */
export class TokenSigner {
  private readonly header = Buffer.from(JSON.stringify({ alg: 'HS512', v: '2.0', typ: 'JWT' })).toString(
    'base64url',
  );

  /**
   * Tokens already verified under the current secret, so a request's two reads (who is calling,
   * then the check itself) and the next day's sweep cost no HMAC-SHA512 each: a pure cache.
   */
  private readonly verified = new Map<string, Readonly<Record<string, unknown>>>();
  private verifiedWith = '';

  /** The secret is read on each use, so a restored state brings its own secret back. */
  constructor(private readonly secret: () => string) {}

  sign(payload: Record<string, unknown>): string {
    const body = `${this.header}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${body}.${this.mac(body)}`;
  }

  /** The payload when the signature is ours, else undefined. */
  verify(token: string): Readonly<Record<string, unknown>> | undefined {
    const secret = this.secret();
    if (secret !== this.verifiedWith) {
      this.verified.clear();
      this.verifiedWith = secret;
    }
    const known = this.verified.get(token);
    if (known) return known;
    const payload = this.check(token);
    if (payload) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
      this.verified.set(token, Object.freeze(payload));
    }
    return payload;
  }

  private check(token: string): Record<string, unknown> | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [head, payload, signature] = parts as [string, string, string];
    const expected = Buffer.from(this.mac(`${head}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(data: string): string {
    return createHmac('sha512', this.secret()).update(data).digest('base64url');
  }
}
