/** One DPoP proof seen by a server: its key's thumbprint, its `jti`, and until when it could still be accepted. */
export interface SeenDpopProof {
  /** RFC 7638 thumbprint of the proof's key (so one client cannot spend another's `jti`). */
  jkt: string;
  jti: string;
  /** Seconds since the epoch after which the proof is refused by its `iat` anyway: the entry may be purged then. */
  exp: number;
}

/**
 * RFC 9449 §11.1: the proofs a server has seen within the acceptance window, so a replayed proof is refused.
 * `consume` must be atomic across every process that accepts proofs for the same server (a primary key decides) and
 * durable like the consumed ID-JAG `jti`s: a restart must not reopen the window.
 */
export interface DpopReplayStore {
  /** Records the proof as seen; `false` when `(jkt, jti)` already was. */
  consume(proof: SeenDpopProof, nowMs: number): boolean | Promise<boolean>;
}

/**
 * A replay store in memory, for one process only (tests, a single-instance example): a restart forgets what it saw,
 * which the window bounds. Servers use the SQL store of `@ema/dpop/sqlite` (SQLite or PostgreSQL), or their own database.
 */
export function createMemoryDpopReplayStore(): DpopReplayStore {
  const seen = new Map<string, number>();
  return {
    consume(proof, nowMs) {
      const now = Math.floor(nowMs / 1000);
      for (const [key, exp] of seen) if (exp < now) seen.delete(key);
      const key = `${proof.jkt}\n${proof.jti}`;
      if (seen.has(key)) return false;
      seen.set(key, proof.exp);
      return true;
    },
  };
}
