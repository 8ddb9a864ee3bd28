import type { DroppedGrant, GrantRevocations } from '../../src/services/zoom-connection/grant-revocations';

export interface RecordedDrop {
  id: string;
  grant: DroppedGrant;
  notBefore?: Date;
  /** Whether the call ran inside a transaction (the drop must commit with what caused it). */
  inTransaction: boolean;
  withdrawn: boolean;
}

/** A GrantRevocations double: it records each drop and withdraw, and revokes nothing. */
export class RecordingRevocations implements GrantRevocations {
  readonly drops: RecordedDrop[] = [];
  private next = 0;

  async drop(grant: DroppedGrant, trx?: unknown, options?: { notBefore?: Date }): Promise<string> {
    const id = `revocation-${++this.next}`;
    this.drops.push({
      id,
      grant,
      notBefore: options?.notBefore,
      inTransaction: trx !== undefined,
      withdrawn: false,
    });
    return id;
  }

  async withdraw(revocationId: string): Promise<void> {
    const drop = this.drops.find((d) => d.id === revocationId);
    if (!drop) throw new Error(`withdraw of an unknown revocation ${revocationId}`);
    drop.withdrawn = true;
  }

  /** Drops still standing (not withdrawn), as `reason:zoomUserId`. */
  standing(): string[] {
    return this.drops.filter((d) => !d.withdrawn).map((d) => `${d.grant.reason}:${d.grant.zoomUserId}`);
  }

  clear(): void {
    this.drops.length = 0;
  }
}
