/**
 * The storage seams of a SET receiver: the `jti`s already received (RFC 8417 §2.2: `jti` is unique; a replayed SET
 * must change nothing) and the atomic commit that records one together with its effects.
 */

/** One received SET, remembered so that a replay is refused. */
export interface ReceivedSecurityEvent {
  iss: string;
  jti: string;
  /** When it was received, epoch milliseconds. */
  receivedAt: number;
  /** Until when it must be remembered (epoch milliseconds): past it, the `iat` window refuses the SET anyway. */
  keepUntil: number;
}

/** The `jti`s received per transmitter. `record` runs inside {@link EventCommit.submit}. */
export interface ReceivedSecurityEvents {
  /** Records `(iss, jti)`; `false` when it was already recorded (atomic: a primary key decides). */
  record(event: ReceivedSecurityEvent): boolean;
}

/**
 * Runs a receipt's writes (the `jti`, the effects the receiver applies, what it forwards) atomically and durably;
 * the promise settles once they are committed, so a `202` is never sent for a SET whose effects could still be lost.
 * `GroupCommit` of `@ema/storage` fits as is.
 */
export interface EventCommit {
  submit<T>(work: () => T): Promise<T>;
}
