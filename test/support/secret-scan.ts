import type { Knex } from 'knex';
import type { Client } from '@temporalio/client';
import type { RecordedRequest } from '../../emulators/kit/request-log';
import type { ZoomTokenRow } from '../../src/db/stores/oauth-service-tokens-store';
import { decodedDeep, plainDeep } from './decode-payloads';

/** The access and refresh tokens the service sent to Zoom, read from the emulator's request log. */
export function tokensSeenByZoom(requests: RecordedRequest[]): string[] {
  const found = new Set<string>();
  for (const r of requests) {
    const auth = r.headers.authorization;
    const value = Array.isArray(auth) ? auth[0] : auth;
    if (value?.startsWith('Bearer ')) found.add(value.slice(7));
    const form = new URLSearchParams(r.body);
    for (const key of ['refresh_token', 'token', 'code']) {
      const v = form.get(key);
      if (v && v.length > 12) found.add(v);
    }
  }
  return [...found];
}

/**
 * The tokens the tutors hold now, decrypted. The newest refresh token has never been sent to Zoom,
 * so `tokensSeenByZoom` cannot know it.
 */
export async function tokensHeldBy(
  tokens: { findByUser(userId: string): Promise<ZoomTokenRow | undefined> },
  userIds: string[],
): Promise<string[]> {
  const rows = await Promise.all(userIds.map((id) => tokens.findByUser(id)));
  return rows.flatMap((row) => (row ? [row.accessToken, row.refreshToken] : []));
}

/** Every text value in every table of the public schema, as one string to search. */
export async function dumpDatabase(db: Knex): Promise<string> {
  const tables: string[] = await db('information_schema.tables')
    .where({ table_schema: 'public' })
    .pluck('table_name');
  const rows = await Promise.all(tables.map((t) => db(t).select()));
  return JSON.stringify(rows);
}

/** Bytes read as text; the holder's own value, since a Buffer's toJSON runs before a replacer sees it. */
const asText = (value: unknown): string =>
  JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    const original = this[key];
    return original instanceof Uint8Array ? Buffer.from(original).toString('utf8') : v;
  });

/**
 * Every event of every workflow that ran on this task queue (continue-as-new runs included), and
 * its memo as visibility lists it, as one string to search: `stored` as Temporal's server holds
 * them (payload bytes read as text), `decoded` as an operator reads them through the codec server.
 */
export async function dumpHistories(
  client: Client,
  taskQueue: string,
): Promise<{ runs: number; stored: string; decoded: string }> {
  const stored: string[] = [];
  const decoded: string[] = [];
  for await (const execution of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    const raw = { history, memo: execution.raw.memo };
    stored.push(asText(await plainDeep(raw)));
    decoded.push(asText(await decodedDeep(raw)));
  }
  return { runs: stored.length, stored: stored.join('\n'), decoded: decoded.join('\n') };
}
