/**
 * The driver error codes that mean the database cannot take this write now, through no fault of the request.
 * SQLite: the disk or the database's size limit is full (`SQLITE_FULL`), the device failed to read or write
 * (`SQLITE_IOERR` and its extended codes, such as `SQLITE_IOERR_WRITE`), or another connection held the write lock for
 * longer than the busy time-out (`SQLITE_BUSY` and its extended codes).
 */
const SQLITE_UNAVAILABLE_CODES = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_BUSY'] as const;

/**
 * PostgreSQL (SQLSTATE, Appendix A): class `08` (connection exception), class `53` (insufficient resources: disk
 * full, out of memory, too many connections), `57P01`-`57P03` (the server shutting down, crashed, or not yet
 * accepting connections), and `40001`/`40P01` (a serialization failure or a deadlock: the transaction was rolled
 * back). And the synchronous connection's own: the connection was lost (`EMA_CONNECTION_LOST`; the next statement
 * outside a transaction opens a new one), no answer in time (`EMA_TIMEOUT`), or it was closed (`EMA_CLOSED`, at
 * shutdown).
 */
const POSTGRES_UNAVAILABLE =
  /^(?:08[0-9A-Z]{3}|53[0-9A-Z]{3}|57P0[123]|40001|40P01|EMA_CONNECTION_LOST|EMA_TIMEOUT|EMA_CLOSED)$/;

// A wrapped error (`new Error(message, { cause })`) keeps its storage cause a few levels down at most.
const MAX_CAUSE_DEPTH = 5;

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function causeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'cause' in error ? error.cause : undefined;
}

/** Whether `error`, or an error it wraps as its `cause`, carries a driver code that `matches`. */
function hasCode(error: unknown, matches: (code: string) => boolean): boolean {
  let current = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current !== undefined; depth += 1) {
    const code = codeOf(current);
    if (code !== undefined && matches(code)) return true;
    current = causeOf(current);
  }
  return false;
}

/**
 * Whether `error` (or an error it wraps as its `cause`) says the storage is unavailable rather than that the request
 * or the code is wrong: the answer is then `503` with `Retry-After`, not `500`, and the request, of which nothing
 * was committed, may be sent again once space or the device is back. Reads only the error's `code`, so it loads no
 * driver.
 */
export function isStorageUnavailable(error: unknown): boolean {
  return hasCode(
    error,
    (code) =>
      SQLITE_UNAVAILABLE_CODES.some((prefix) => code === prefix || code.startsWith(`${prefix}_`)) ||
      POSTGRES_UNAVAILABLE.test(code),
  );
}

/**
 * PostgreSQL's refusals of text it cannot hold: `22021` (character_not_in_repertoire, U+0000 in a text value) and
 * `22P05` (untranslatable_character, `\u0000` in JSON it parses). SQLite keeps such text as it is.
 */
const UNSTORABLE_TEXT_CODES: readonly string[] = ['22021', '22P05'];

/**
 * Whether `error` (or an error it wraps) is the database refusing text from the request that it cannot hold: the
 * request is at fault (`400`), not the server, and nothing of it was committed.
 */
export function isUnstorableText(error: unknown): boolean {
  return hasCode(error, (code) => UNSTORABLE_TEXT_CODES.includes(code));
}
