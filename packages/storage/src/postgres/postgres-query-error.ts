/**
 * A statement PostgreSQL refused, or a connection that failed. `code` is the SQLSTATE (`23505` a unique violation,
 * `40P01` a deadlock), or an `EMA_` code of the synchronous connection itself.
 */
export class PostgresQueryError extends Error {
  /** SQLSTATE, or `EMA_TIMEOUT`, `EMA_NO_ANSWER`, `EMA_CLOSED`, `EMA_UNKNOWN`. */
  readonly code: string;
  readonly detail: string | undefined;

  constructor(message: string, code: string, detail?: string) {
    super(message);
    this.name = 'PostgresQueryError';
    this.code = code;
    this.detail = detail;
  }
}
