/** Splits an RFC 6749 §3.3 scope string into its distinct values, in order. */
export function parseScope(scope: string | undefined): string[] {
  if (!scope) return [];
  return [...new Set(scope.split(' ').filter((value) => value.length > 0))];
}

/** Joins scope values into an RFC 6749 §3.3 scope string. */
export function formatScope(scopes: Iterable<string>): string {
  return [...scopes].join(' ');
}
