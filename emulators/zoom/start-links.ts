import type { TokenSigner } from './signed-token';

export type ZakCheck = 'valid' | 'expired' | 'invalid';

/**
 * Host start links carry a signed, expiring `zak`. Nothing is stored per link, so handing out
 * a fresh start_url on every GET costs no memory, and links survive a restart with the state.
 */
export class StartLinks {
  constructor(
    private readonly signer: TokenSigner,
    private readonly nowMs: () => number,
    private readonly ttlSeconds: () => number,
  ) {}

  startUrl(baseUrl: string, meetingId: number, hostId: string): string {
    const zak = this.signer.sign({
      typ: 'zak',
      mid: meetingId,
      uid: hostId,
      exp: this.nowMs() + this.ttlSeconds() * 1000,
    });
    return `${baseUrl}/s/${meetingId}?zak=${zak}`;
  }

  check(meetingId: number, hostId: string, zak: string): ZakCheck {
    const payload = this.signer.verify(zak);
    if (!payload || payload.typ !== 'zak' || payload.mid !== meetingId || payload.uid !== hostId)
      return 'invalid';
    return typeof payload.exp === 'number' && payload.exp > this.nowMs() ? 'valid' : 'expired';
  }
}
