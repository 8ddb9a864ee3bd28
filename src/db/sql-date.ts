/**
 * A DATE column's value as 'YYYY-MM-DD'. Every pool is made by createDb (knex.ts), which reads DATEs
 * as strings; a Date here would come from a pool without that parser, whose local midnight can be
 * the wrong day, so it is refused rather than converted.
 */
export function sqlDate(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  throw new Error(`not a DATE value: ${String(value)}`);
}
