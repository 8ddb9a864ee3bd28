/**
 * A DATE column's value as 'YYYY-MM-DD'. Our pools read DATEs as strings (see knex.ts); a Date from
 * a connection without that parser is node-postgres's local midnight, so its local fields are the day.
 */
export function sqlDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  throw new Error(`not a DATE value: ${String(value)}`);
}
