import type { ContainerWithoutTemporal } from '../container';
import type { PlatformEvent } from '../db/stores/platform-events-store';
import type { RevocationSummary } from '../db/stores/grant-revocations-store';

/** The ops commands that only touch the database: they run without Temporal and its payload key. */
export const DATABASE_ONLY_COMMANDS = new Set(['history', 'revocations', 'events', 'reencrypt']);

export function createDatabaseOpsCommands(
  container: ContainerWithoutTemporal,
  print: (line: string) => void = console.log,
) {
  const { stores } = container;
  /** Prints each row, or `none`; says when the list stops at `limit`. */
  const printRows = <T>(rows: T[], limit: number, describe: (row: T) => string, none: string): T[] => {
    for (const row of rows) print(describe(row));
    if (rows.length === 0) print(none);
    else if (rows.length === limit) print(`(the first ${limit} only)`);
    return rows;
  };

  return {
    async history(userId: string): Promise<void> {
      const events = await stores.connectionEvents.history(userId);
      for (const e of events) print(`${e.at.toISOString()}  ${e.event.padEnd(12)} ${e.detail ?? ''}`);
      if (events.length === 0) print(`No Zoom connection history for ${userId}.`);
    },

    /** The dropped grants not revoked yet, the next due first: ids, reasons, attempts, never a token. */
    async revocations(limit = 100): Promise<RevocationSummary[]> {
      const pending = await stores.grantRevocations.listPending(limit);
      return printRows(pending, limit, describeRevocation, 'No Zoom grant is waiting for its revocation.');
    },

    /** The undelivered platform events (given up ones too), the oldest first: id, type, attempts, last error. */
    async events(limit = 100): Promise<PlatformEvent[]> {
      const undelivered = await stores.platformEvents.listUndelivered(limit);
      return printRows(undelivered, limit, describeEvent, 'Every platform event has been delivered.');
    },

    /** Rewrites every secret encrypted with an old key under TOKEN_ENCRYPTION_KEY. */
    async reencrypt(): Promise<number> {
      const tokens = await stores.tokens.reencryptAll();
      const meetings = await stores.meetings.reencryptPasswords();
      const dropped = await stores.grantRevocations.reencryptAll();
      const pending = await stores.pendingGrants.reencryptAll();
      print(
        `Re-encrypted ${tokens} token row(s), ${meetings} meeting password(s), ${dropped} dropped grant(s) and ${pending} pending Zoom grant(s).`,
      );
      return tokens + meetings + dropped + pending;
    },
  };
}

/** One line per pending revocation (the Zoom user is `?` until GET /users/me has named it). */
export function describeRevocation(r: RevocationSummary): string {
  return [
    r.id,
    r.reason.padEnd(25),
    `user=${r.userId ?? '-'}`,
    `zoom=${r.zoomUserId ?? '?'}`,
    `attempts=${r.attempts}`,
    `next=${r.nextAttemptAt.toISOString()}`,
    r.lastError ? `last error: ${r.lastError}` : '',
  ]
    .join('  ')
    .trimEnd();
}

export function describeEvent(e: PlatformEvent): string {
  return [
    e.id,
    e.type.padEnd(24),
    `at=${e.occurredAt.toISOString()}`,
    `attempts=${e.attempts}`,
    e.givenUpAt ? `given up ${e.givenUpAt.toISOString()}` : `next=${e.nextAttemptAt.toISOString()}`,
    e.lastError ? `last error: ${e.lastError}` : '',
  ]
    .join('  ')
    .trimEnd();
}
