/**
 * The access tokens this resource server must refuse although they verify: the revocations its authorization server
 * pushed (Security Events). In memory, so the check costs a few map lookups per request and never a network call or
 * a database read; the server persists each entry as it arrives and loads them all at boot, so a restart forgets
 * nothing. An entry is kept until every token it covers would have expired anyway, then purged.
 */
import type { AccessTokenClaims } from '@ema/protocol';

/** One revocation. `until` (seconds) is when it can be forgotten. */
export type Revocation =
  /** One token, by issuer and `jti`. */
  | { kind: 'token'; issuer: string; jti: string; until: number }
  /** Every token of a subject issued at or before `cutoff` (seconds, the issuer's clock). */
  | { kind: 'subject'; issuer: string; subject: string; cutoff: number; until: number }
  /** Every token of a subject and IdP session (`sid`) issued at or before `cutoff`. */
  | { kind: 'session'; issuer: string; subject: string; sid: string; cutoff: number; until: number };

/** Why a token is refused (for the audit log). */
export type RevocationReason = 'token_revoked' | 'subject_cut_off' | 'session_revoked';

const key = (...parts: readonly string[]): string => parts.join('\u0000');

/** The in-memory revocation list. */
export class RevocationList {
  readonly #tokens = new Map<string, Extract<Revocation, { kind: 'token' }>>();
  readonly #subjects = new Map<string, Extract<Revocation, { kind: 'subject' }>>();
  readonly #sessions = new Map<string, Extract<Revocation, { kind: 'session' }>>();

  /** How many entries it holds. */
  get size(): number {
    return this.#tokens.size + this.#subjects.size + this.#sessions.size;
  }

  /** Adds a revocation; a later cut-off for the same subject (or session) moves it forward, never back. */
  add(revocation: Revocation): void {
    switch (revocation.kind) {
      case 'token':
        this.#tokens.set(key(revocation.issuer, revocation.jti), revocation);
        return;
      case 'subject': {
        const subjectKey = key(revocation.issuer, revocation.subject);
        this.#subjects.set(subjectKey, later(this.#subjects.get(subjectKey), revocation));
        return;
      }
      case 'session': {
        const sessionKey = key(revocation.issuer, revocation.subject, revocation.sid);
        this.#sessions.set(sessionKey, later(this.#sessions.get(sessionKey), revocation));
        return;
      }
    }
  }

  /** Why a verified token is revoked, or `undefined` when it is not. The hot path: at most three map lookups. */
  check(claims: Pick<AccessTokenClaims, 'iss' | 'sub' | 'jti' | 'iat' | 'sid'>): RevocationReason | undefined {
    if (this.size === 0) return undefined;
    if (this.#tokens.has(key(claims.iss, claims.jti))) return 'token_revoked';
    const subject = this.#subjects.get(key(claims.iss, claims.sub));
    // Access tokens carry whole seconds: one issued in the second of the cut-off is refused (fail closed).
    if (subject !== undefined && claims.iat <= subject.cutoff) return 'subject_cut_off';
    if (claims.sid !== undefined) {
      const session = this.#sessions.get(key(claims.iss, claims.sub, claims.sid));
      if (session !== undefined && claims.iat <= session.cutoff) return 'session_revoked';
    }
    return undefined;
  }

  /** Forgets entries whose `until` has passed (seconds); returns how many. */
  purge(nowSeconds: number): number {
    let purged = 0;
    const sweep = (map: Map<string, { until: number }>): void => {
      for (const [entryKey, entry] of map) {
        if (entry.until < nowSeconds) {
          map.delete(entryKey);
          purged += 1;
        }
      }
    };
    sweep(this.#tokens);
    sweep(this.#subjects);
    sweep(this.#sessions);
    return purged;
  }

  /** Every entry (for an admin view, or to persist them all). */
  entries(): Revocation[] {
    return [...this.#tokens.values(), ...this.#subjects.values(), ...this.#sessions.values()];
  }
}

// Two cut-offs of one subject (or session): the later cut-off, kept as long as the longer of the two needs.
function later<T extends { cutoff: number; until: number }>(current: T | undefined, next: T): T {
  if (current === undefined) return next;
  return { ...next, cutoff: Math.max(current.cutoff, next.cutoff), until: Math.max(current.until, next.until) };
}
