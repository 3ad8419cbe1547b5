/** Stable codes of {@link PostgresServerError}. */
export type PostgresServerErrorCode =
  | 'POSTGRES_BINARIES_MISSING'
  | 'POSTGRES_NO_UNPRIVILEGED_USER'
  | 'POSTGRES_INITDB_FAILED'
  | 'POSTGRES_START_FAILED';

/** Why a throwaway PostgreSQL server could not be made or started. Never skipped: CI installs the server. */
export class PostgresServerError extends Error {
  /** The stable code, for `switch (err.code)`. */
  readonly code: PostgresServerErrorCode;

  constructor(code: PostgresServerErrorCode, message: string) {
    super(message);
    this.name = 'PostgresServerError';
    this.code = code;
  }
}
