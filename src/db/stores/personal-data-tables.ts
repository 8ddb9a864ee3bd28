import type { Knex } from 'knex';

/** What an erasure needs to find a person's traces; built by the erasure service. */
export interface PersonToErase {
  userId: string;
  /**
   * A case-insensitive PostgreSQL regular expression matching any of the person's names and email
   * addresses; null when none is known any more (an erasure repeated).
   */
  pattern: string | null;
  /** Each known email address (lower case) with its keyed hash, for the email ledger. */
  emailHashes: Array<{ email: string; hash: string }>;
}

/** What stands in for a name or an email address inside a text that is kept. */
export const ERASED = '[erased]';

/**
 * One table that can name a person, and how its rows forget them. `erase` runs in the erasure's
 * transaction and returns how many rows it changed (0 when repeated). Zoom tokens are not here:
 * they are dropped through the durable revocation path (the erasure service does it).
 */
export interface PersonalDataTable {
  table: string;
  erase(trx: Knex.Transaction, person: PersonToErase): Promise<number>;
}

type RowFilter = (query: Knex.QueryBuilder) => Knex.QueryBuilder;

/** Replaces every match of the person's pattern in the column's text (`asText`, `back` cast it). */
async function scrub(
  trx: Knex.Transaction,
  person: PersonToErase,
  target: { table: string; column: string; where: RowFilter },
  casts: { asText: string; back: string },
): Promise<number> {
  if (!person.pattern) return 0;
  const text = `??${casts.asText}`;
  return target
    .where(trx(target.table))
    .whereRaw(`${text} ~* ?`, [target.column, person.pattern])
    .update({
      [target.column]: trx.raw(`regexp_replace(${text}, ?, ?, 'gi')${casts.back}`, [
        target.column,
        person.pattern,
        ERASED,
      ]),
    });
}

/** Replaces every match of the person's pattern in a text column of the rows `where` selects. */
export const scrubText = (
  trx: Knex.Transaction,
  person: PersonToErase,
  table: string,
  column: string,
  where: RowFilter,
): Promise<number> => scrub(trx, person, { table, column, where }, { asText: '', back: '' });

/**
 * The same for a jsonb column (an outbox's event `data`): the pattern is replaced in its text, which
 * stays valid JSON (the pattern holds each value's JSON-escaped form too, so a name with a quote is
 * replaced whole, escapes and all).
 */
export const scrubJson = (
  trx: Knex.Transaction,
  person: PersonToErase,
  table: string,
  column: string,
  where: RowFilter,
): Promise<number> => scrub(trx, person, { table, column, where }, { asText: '::text', back: '::jsonb' });

const sessionsOf = (trx: Knex.Transaction, userId: string) =>
  trx('zoom_connect_sessions').where({ user_id: userId }).select('id');

/**
 * Every table that can name a person, by name or email (checked against every migration).
 * Tables that hold only ids and secrets are left out: one_time_nonces, reconnection_deletions,
 * meetings (our signed links and the provider's ids), rate_limits (client addresses and link ids),
 * oauth_service_providers, person_erasures, platform_events (lesson and tutor ids, states, signed
 * links). A new table that holds a name or an email gets its entry here.
 */
export const PERSONAL_DATA_TABLES: PersonalDataTable[] = [
  {
    // Kept, anonymized: other people's lessons reference the row.
    table: 'users',
    erase: (trx, { userId }) =>
      trx('users')
        .where({ id: userId })
        .where((q) => q.whereNotNull('name').orWhereNotNull('email').orWhereNot({ time_zone: 'UTC' }))
        .update({ name: null, email: null, time_zone: 'UTC', updated_at: trx.fn.now() }),
  },
  {
    // A keyed hash still answers "was this address sent that email?" for whoever knows the address.
    table: 'sent_emails',
    erase: async (trx, { emailHashes }) => {
      if (emailHashes.length === 0) return 0;
      const result = await trx.raw<{ rowCount: number }>(
        `UPDATE sent_emails AS s SET recipient = v.hash
           FROM unnest(?::text[], ?::text[]) AS v(email, hash)
          WHERE lower(s.recipient) = v.email`,
        [emailHashes.map((e) => e.email), emailHashes.map((e) => e.hash)],
      );
      return result.rowCount;
    },
  },
  {
    // A connection's detail is the Zoom account's email; the others say nothing worth keeping.
    table: 'zoom_connection_events',
    erase: (trx, { userId }) =>
      trx('zoom_connection_events')
        .where({ user_id: userId })
        .whereNotNull('detail')
        .update({ detail: null }),
  },
  {
    // A grant waiting for confirmation holds the Zoom email; its revocation (already recorded,
    // due at its expiry) keeps its own copy of the tokens, so the grant can end here.
    table: 'zoom_pending_grants',
    erase: (trx, { userId }) =>
      trx('zoom_pending_grants')
        .whereIn('session_id', sessionsOf(trx, userId))
        .where((q) => q.whereNotNull('email').orWhereNull('finished_at'))
        .update({
          email: null,
          code: '',
          access_token: '',
          refresh_token: '',
          finished_at: trx.raw('coalesce(finished_at, now())'),
          outcome: trx.raw(`coalesce(outcome, 'cancelled')`),
        }),
  },
  {
    // No name here, but an open session could still bring a Zoom grant (and its email) back.
    table: 'zoom_connect_sessions',
    erase: (trx, { userId }) =>
      trx('zoom_connect_sessions')
        .where({ user_id: userId })
        .where('expires_at', '>', trx.fn.now())
        .update({ expires_at: trx.fn.now() }),
  },
  {
    // Provider messages may quote the account; the rows themselves must stay until revoked.
    table: 'zoom_grant_revocations',
    erase: (trx, person) =>
      scrubText(trx, person, 'zoom_grant_revocations', 'last_error', (q) =>
        q.where({ user_id: person.userId }),
      ),
  },
  {
    // The booking system's titles may name the people; the lessons themselves stay whole.
    table: 'lessons',
    erase: (trx, person) =>
      scrubText(trx, person, 'lessons', 'title', (q) =>
        q.where((w) => w.where({ tutor_id: person.userId }).orWhere({ student_id: person.userId })),
      ),
  },
];
