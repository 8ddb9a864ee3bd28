import type { ProcessResult, RevocationProcessor } from '../services/revocation/revocation-processor';

export interface GrantRevocationActivityDeps {
  processor: RevocationProcessor;
}

/** Thin adapters: ids in, outcomes out; the tokens are read (and decrypted) inside the service. */
export function createGrantRevocationActivities({ processor }: GrantRevocationActivityDeps) {
  return {
    async listDueRevocations(input: { limit: number }): Promise<string[]> {
      return processor.listDue(input.limit);
    },

    async processRevocation(input: { revocationId: string }): Promise<ProcessResult> {
      return processor.process(input.revocationId);
    },
  };
}
export type GrantRevocationActivities = ReturnType<typeof createGrantRevocationActivities>;
