/**
 * Server-side sessions in SQLite: the browser holds only an opaque id (in an HttpOnly cookie); the IdP tokens stay
 * here, sealed. Also the pending sign-ins (state, nonce, PKCE verifier) and each session's view of each server.
 */
import { createHash, randomBytes } from 'node:crypto';
import { csrfToken } from '@ema/html';
import type { Database } from '@ema/storage/sqlite';
import { SESSION_CSRF_PURPOSE } from '../session/csrf-purpose.js';
import type { Sealer } from '../session/seal.js';
import { type PendingStepUp, readStepUp } from './pending-step-up.js';

/** A signed-in session. */
export interface AgentSession {
  idHash: string;
  createdAt: number;
  expiresAt: number;
  userKey: string;
  subject: string;
  name: string | undefined;
  email: string | undefined;
  idToken: string;
  idTokenExpiresAt: number;
  refreshToken: string | undefined;
  /** The CSRF token of this session's forms, derived from the cookie's secret (`@ema/html`'s one scheme). */
  csrfToken: string;
}

/** A sign-in in progress (OIDC Core §3.1.2.1 state and nonce, RFC 7636 verifier), and its step-up, if it is one. */
export interface LoginAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
  stepUp?: PendingStepUp;
}

interface SessionRow {
  id_hash: string;
  created_at: number;
  expires_at: number;
  user_key: string;
  subject: string;
  name: string | null;
  email: string | null;
  id_token_sealed: string;
  id_token_expires_at: number;
  refresh_token_sealed: string | null;
  last_flow: string | null;
}

/** A new random id (256 bits) for a cookie. */
export function newOpaqueId(): string {
  return randomBytes(32).toString('base64url');
}

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

/** See the module comment. */
export class SessionStore {
  readonly #db: Database;
  readonly #sealer: Sealer;
  readonly #now: () => number;

  constructor(db: Database, sealer: Sealer, now: () => number) {
    this.#db = db;
    this.#sealer = sealer;
    this.#now = now;
  }

  /** Creates a session and returns its cookie value. */
  create(input: Omit<AgentSession, 'idHash' | 'createdAt' | 'expiresAt' | 'csrfToken'>, ttlSeconds: number): string {
    const id = newOpaqueId();
    const now = this.#now();
    this.#db
      .prepare(
        `INSERT INTO sessions (id_hash, created_at, expires_at, user_key, subject, name, email, id_token_sealed,
           id_token_expires_at, refresh_token_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        hashId(id),
        now,
        now + ttlSeconds * 1000,
        input.userKey,
        input.subject,
        input.name ?? null,
        input.email ?? null,
        this.#sealer.seal(input.idToken),
        input.idTokenExpiresAt,
        input.refreshToken === undefined ? null : this.#sealer.seal(input.refreshToken),
      );
    return id;
  }

  /** The live session for a cookie value, or why there is none. */
  find(id: string): { session: AgentSession } | { missing: 'unknown' | 'expired' } {
    const row = this.#db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id_hash = ?').get(hashId(id));
    if (!row) return { missing: 'unknown' };
    const idToken = this.#sealer.open(row.id_token_sealed);
    if (row.expires_at <= this.#now() || idToken === undefined) {
      this.#db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(row.id_hash);
      return { missing: 'expired' };
    }
    const refreshToken = row.refresh_token_sealed === null ? undefined : this.#sealer.open(row.refresh_token_sealed);
    return {
      session: {
        idHash: row.id_hash,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        userKey: row.user_key,
        subject: row.subject,
        name: row.name ?? undefined,
        email: row.email ?? undefined,
        idToken,
        idTokenExpiresAt: row.id_token_expires_at,
        refreshToken,
        csrfToken: csrfToken(id, SESSION_CSRF_PURPOSE),
      },
    };
  }

  /** Replaces a session's IdP tokens after a step-up sign-in (same user, stronger or fresher sign-in). */
  updateTokens(idHash: string, tokens: Pick<AgentSession, 'idToken' | 'idTokenExpiresAt' | 'refreshToken'>): void {
    this.#db
      .prepare(
        'UPDATE sessions SET id_token_sealed = ?, id_token_expires_at = ?, refresh_token_sealed = ? WHERE id_hash = ?',
      )
      .run(
        this.#sealer.seal(tokens.idToken),
        tokens.idTokenExpiresAt,
        tokens.refreshToken === undefined ? null : this.#sealer.seal(tokens.refreshToken),
        idHash,
      );
  }

  /** Ends a session (and its server views). */
  destroy(idHash: string): void {
    this.#db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  /** Drops expired sessions and sign-ins. */
  sweep(): void {
    const now = this.#now();
    this.#db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
    this.#db.prepare('DELETE FROM login_attempts WHERE expires_at <= ?').run(now);
  }

  /** The flow record of the session's last connection (JSON, already redacted). */
  lastFlow(idHash: string): string | undefined {
    const row = this.#db
      .prepare<[string], { last_flow: string | null }>('SELECT last_flow FROM sessions WHERE id_hash = ?')
      .get(idHash);
    return row?.last_flow ?? undefined;
  }

  saveLastFlow(idHash: string, flow: string): void {
    this.#db.prepare('UPDATE sessions SET last_flow = ? WHERE id_hash = ?').run(flow, idHash);
  }

  /** The session's view of one server (JSON). */
  serverView(idHash: string, serverId: string): string | undefined {
    const row = this.#db
      .prepare<[string, string], { view: string }>(
        'SELECT view FROM server_views WHERE session_id_hash = ? AND server_id = ?',
      )
      .get(idHash, serverId);
    return row?.view;
  }

  saveServerView(idHash: string, serverId: string, view: string): void {
    this.#db
      .prepare(
        `INSERT INTO server_views (session_id_hash, server_id, view, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (session_id_hash, server_id) DO UPDATE SET view = excluded.view, updated_at = excluded.updated_at`,
      )
      .run(idHash, serverId, view, this.#now());
  }

  deleteServerView(idHash: string, serverId: string): void {
    this.#db.prepare('DELETE FROM server_views WHERE session_id_hash = ? AND server_id = ?').run(idHash, serverId);
  }

  /** Records a sign-in in progress; returns its cookie value. */
  createLoginAttempt(attempt: LoginAttempt, ttlSeconds: number): string {
    const id = newOpaqueId();
    this.#db
      .prepare(
        `INSERT INTO login_attempts (id_hash, state, nonce, code_verifier_sealed, expires_at, step_up_sealed)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        hashId(id),
        attempt.state,
        attempt.nonce,
        this.#sealer.seal(attempt.codeVerifier),
        this.#now() + ttlSeconds * 1000,
        attempt.stepUp === undefined ? null : this.#sealer.seal(JSON.stringify(attempt.stepUp)),
      );
    return id;
  }

  /** Takes (single use) the sign-in in progress for a cookie value. */
  takeLoginAttempt(id: string): LoginAttempt | undefined {
    const take = this.#db.transaction((idHash: string) => {
      const row = this.#db
        .prepare<
          [string],
          {
            state: string;
            nonce: string;
            code_verifier_sealed: string;
            expires_at: number;
            step_up_sealed: string | null;
          }
        >('SELECT state, nonce, code_verifier_sealed, expires_at, step_up_sealed FROM login_attempts WHERE id_hash = ?')
        .get(idHash);
      this.#db.prepare('DELETE FROM login_attempts WHERE id_hash = ?').run(idHash);
      return row;
    });
    // Immediate: the write lock is taken (waiting for it if needed) before the read, never upgraded to mid-way.
    const row = take.immediate(hashId(id));
    if (!row || row.expires_at <= this.#now()) return undefined;
    const codeVerifier = this.#sealer.open(row.code_verifier_sealed);
    if (codeVerifier === undefined) return undefined;
    const stepUp = row.step_up_sealed === null ? undefined : readStepUp(this.#sealer.open(row.step_up_sealed));
    // A step-up whose record cannot be read is no sign-in at all (it would otherwise sign in without its purpose).
    if (row.step_up_sealed !== null && stepUp === undefined) return undefined;
    return { state: row.state, nonce: row.nonce, codeVerifier, ...(stepUp === undefined ? {} : { stepUp }) };
  }
}
