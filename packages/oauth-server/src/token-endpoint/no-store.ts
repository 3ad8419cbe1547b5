/** RFC 6749 §5.1: responses carrying tokens or credentials MUST NOT be cached. Shared, never mutated. */
export const NO_STORE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
});
