import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logger';
import type { GrantRevocations } from './grant-revocations';

/**
 * MERGE: stands in until the durable `createGrantRevocations` (issue 18, point 4) is merged; it is
 * wired in one place, src/services/create-services.ts. It records nothing and revokes nothing: it
 * only logs which grant would be dropped (never its tokens).
 */
export function createPlaceholderRevocations(logger: Logger): GrantRevocations {
  return {
    async drop(grant, _trx, options) {
      const id = randomUUID();
      logger.warn(
        {
          revocationId: id,
          zoomUserId: grant.zoomUserId,
          reason: grant.reason,
          notBefore: options?.notBefore,
        },
        'a Zoom grant was dropped; durable revocation is not wired in yet',
      );
      return id;
    },
    async withdraw() {},
  };
}
