/**
 * Whether `value` can be a stored key. PostgreSQL's text holds no NUL character (SQLite's does), so no row on
 * either store is keyed by one: a lookup by such a value, which only a request can bring, finds nothing instead of
 * failing the query on PostgreSQL. Checked by every lookup whose key comes from a request.
 */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000');
}
