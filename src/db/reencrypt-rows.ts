import type { Knex } from 'knex';
import type { KeyRing } from '../crypto/key-ring';

/** A table's encrypted columns, each value bound to the row's `ownerColumn` (the SecretRef row). */
export interface EncryptedColumns {
  table: string;
  ownerColumn: string;
  columns: readonly string[];
}

const PAGE = 100;

/**
 * `npm run ops -- reencrypt`, safe while workers run: each row is re-read and rewritten under its
 * row lock (SELECT … FOR UPDATE) in its own short transaction. A writer holding the lock (a token
 * refresh, a meeting update) is waited for and its value re-read, so a newer value is never
 * replaced by an older one read earlier. `version` is not bumped: the plaintext is unchanged.
 */
export async function reencryptRows(db: Knex, keyRing: KeyRing, spec: EncryptedColumns): Promise<number> {
  let rewritten = 0;
  let afterId: string | undefined;
  for (;;) {
    const page = staleRows(db, keyRing, spec).orderBy('id').limit(PAGE);
    if (afterId !== undefined) page.where('id', '>', afterId);
    const ids = (await page.pluck('id')).map(String);
    for (const id of ids) if (await reencryptRow(db, keyRing, spec, id)) rewritten++;
    if (ids.length < PAGE) return rewritten;
    afterId = ids[ids.length - 1];
  }
}

/** Rows holding a value under another key than the current one (a hint: rechecked under the lock). */
function staleRows(db: Knex, keyRing: KeyRing, spec: EncryptedColumns): Knex.QueryBuilder {
  return db(spec.table).where((q) => {
    for (const column of spec.columns)
      q.orWhereRaw(`split_part(??, '.', 2) <> ?`, [column, keyRing.currentKeyId]);
  });
}

async function reencryptRow(
  db: Knex,
  keyRing: KeyRing,
  spec: EncryptedColumns,
  id: string,
): Promise<boolean> {
  return db.transaction(async (trx) => {
    const raw = await trx(spec.table)
      .where({ id })
      .forUpdate()
      .first(spec.ownerColumn, ...spec.columns);
    if (!raw) return false;
    const update: Record<string, string> = {};
    for (const column of spec.columns) {
      const value = raw[column] as string | null;
      if (!value || !keyRing.isStale(value)) continue;
      const ref = { table: spec.table, column, row: String(raw[spec.ownerColumn]) };
      update[column] = keyRing.encrypt(keyRing.decrypt(value, ref), ref);
    }
    if (Object.keys(update).length === 0) return false;
    await trx(spec.table).where({ id }).update(update);
    return true;
  });
}
