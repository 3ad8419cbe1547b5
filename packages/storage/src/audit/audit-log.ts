/** One security-relevant event. A token is identified by its `jti`, never by its value. */
export interface AuditEvent {
  type: string;
  outcome: 'allow' | 'deny' | 'success' | 'failure' | 'info';
  /** The precise reason (for example a `JwtErrorCode`); never sent to the client. */
  reason?: string;
  actor?: string;
  subject?: string;
  clientId?: string;
  resource?: string;
  jti?: string;
  details?: Record<string, unknown>;
}

/** A recorded event: its sequence number and time (epoch milliseconds). */
export interface AuditRecord extends AuditEvent {
  id: number;
  at: number;
}

/** Filters of {@link AuditLog.query}; all optional, combined with AND. Results are newest first. */
export interface AuditQuery {
  type?: string;
  outcome?: string;
  subject?: string;
  clientId?: string;
  /** Inclusive lower bound on `at` (epoch ms). */
  since?: number;
  /** Exclusive upper bound on `at` (epoch ms). */
  until?: number;
  /** At most this many records (default 100, capped at 1000). */
  limit?: number;
  /** Only records with an id below this (for paging backwards). */
  beforeId?: number;
}

/** An append-only audit log. */
export interface AuditLog {
  /**
   * Records an event and commits it before returning (together with any records still waiting for a group commit).
   * Called inside a transaction of the caller (e.g. an item of the caller's own group commit), it only inserts: the
   * record shares that transaction's fate, so a change and its record commit together or not at all.
   */
  record(event: AuditEvent): void;
  /**
   * Records an event in a group commit: the records of one event-loop turn share one transaction. Resolves once the
   * record is committed; rejects if it could not be (then it was not written). Await it before answering the
   * request, so the record of a request is always committed before its response is sent.
   */
  recordCommitted(event: AuditEvent): Promise<void>;
  query(filter?: AuditQuery): AuditRecord[];
  /**
   * Every record, oldest first, as `@ema/protocol`'s `AuditRecordView` (the admin APIs' casing), one JSON object per
   * string, each ending in `\n` (JSON Lines).
   */
  exportJsonLines(): Iterable<string>;
}
