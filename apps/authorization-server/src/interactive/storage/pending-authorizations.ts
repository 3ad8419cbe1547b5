/**
 * Authorization requests in progress: from the client's redirect to `/authorize`, through the sign-in at the IdP
 * and the organization's decision, to the user's consent. Each is bound to the browser that started it (the hash of a
 * secret only that browser's cookie holds) and expires.
 */
import type { AccessTokenAuthorization, AuthorizationRequest } from '@ema/oauth-server';
import type { SqlDatabase } from '@ema/storage';

/** What the consent page shows about the client (from its registration or metadata document). */
export interface ClientDisplay {
  name: string | undefined;
  clientUri: string | undefined;
  /** The host of the redirect URI the code will go to (MCP-AUTH: displayed during authorization). */
  redirectHost: string;
  /** Whether the redirect goes to this machine (MCP-AUTH "Localhost Redirect URI Risks": warn). */
  loopbackRedirect: boolean;
  /** How the client is known: a URL (metadata document) or an id this server issued. */
  kind: 'dynamic' | 'metadata_document';
  /** Whether it may get refresh tokens (it registered the refresh_token grant). */
  refreshTokens: boolean;
}

/** The IdP sign-in of this request (OIDC Core §3.1.2.1, PKCE). */
export interface SignInAttempt {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Set on the second sign-in the IdP asked for (step-up): there is no third. */
  stepUp?: boolean;
}

/** The organization's decision (the ID-JAG this server obtained by identity chaining and accepted). */
export interface ChainedDecision {
  accountId: string;
  /** Who signed in, for the consent page. */
  userName: string;
  resource: string;
  scope: string;
  authorization: AccessTokenAuthorization;
  /** The IdP refresh token (re-chaining at each refresh), when the IdP issued one. */
  idpRefreshToken: string | null;
}

/** One authorization request in progress. */
export interface PendingAuthorization {
  requestId: string;
  request: AuthorizationRequest;
  client: ClientDisplay;
  signIn: SignInAttempt;
  decision: ChainedDecision | undefined;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Storage of requests in progress. */
export interface PendingAuthorizationStorage {
  create(pending: PendingAuthorization, browserHash: string): void;
  /** The live request of this browser whose IdP sign-in used `state`. */
  findBySignInState(state: string, browserHash: string, nowMs: number): PendingAuthorization | undefined;
  /** The live request of this browser with this id. */
  find(requestId: string, browserHash: string, nowMs: number): PendingAuthorization | undefined;
  setDecision(requestId: string, decision: ChainedDecision): void;
  /** Starts the request's sign-in over (a step-up): the new attempt's state replaces the old one. */
  replaceSignIn(requestId: string, attempt: SignInAttempt): void;
  /** Ends the request (answered, refused or abandoned); `false` when it was already gone (single use). */
  delete(requestId: string): boolean;
  purgeExpired(nowMs: number): number;
}

interface Row {
  request_id: string;
  request: string;
  sign_in: string;
  decision: string | null;
  expires_at: number;
}

/** Requests in progress on SQLite or PostgreSQL (one set of queries). */
export function createPendingAuthorizationStorage(db: SqlDatabase): PendingAuthorizationStorage {
  const insert = db.prepare(
    `INSERT INTO pending_authorizations (request_id, browser_hash, idp_state, request, sign_in, expires_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const byState = db.prepare<[string, string, number], Row>(
    'SELECT * FROM pending_authorizations WHERE idp_state = ? AND browser_hash = ? AND expires_at > ?',
  );
  const byId = db.prepare<[string, string, number], Row>(
    'SELECT * FROM pending_authorizations WHERE request_id = ? AND browser_hash = ? AND expires_at > ?',
  );
  const decide = db.prepare('UPDATE pending_authorizations SET decision = ? WHERE request_id = ?');
  const restart = db.prepare('UPDATE pending_authorizations SET idp_state = ?, sign_in = ? WHERE request_id = ?');
  const remove = db.prepare('DELETE FROM pending_authorizations WHERE request_id = ?');
  const purge = db.prepare('DELETE FROM pending_authorizations WHERE expires_at <= ?');
  // Written by this server only; read back as such.
  const parse = (row: Row): PendingAuthorization => {
    const stored = JSON.parse(row.request) as { request: AuthorizationRequest; client: ClientDisplay };
    return {
      requestId: row.request_id,
      request: stored.request,
      client: stored.client,
      signIn: JSON.parse(row.sign_in) as SignInAttempt,
      decision: row.decision === null ? undefined : (JSON.parse(row.decision) as ChainedDecision),
      expiresAt: row.expires_at,
    };
  };
  return {
    create: (pending, browserHash) => {
      insert.run(
        pending.requestId,
        browserHash,
        pending.signIn.state,
        JSON.stringify({ request: pending.request, client: pending.client }),
        JSON.stringify(pending.signIn),
        pending.expiresAt,
      );
    },
    findBySignInState: (state, browserHash, nowMs) => {
      const row = byState.get(state, browserHash, nowMs);
      return row && parse(row);
    },
    find: (requestId, browserHash, nowMs) => {
      const row = byId.get(requestId, browserHash, nowMs);
      return row && parse(row);
    },
    setDecision: (requestId, decision) => {
      decide.run(JSON.stringify(decision), requestId);
    },
    replaceSignIn: (requestId, attempt) => {
      restart.run(attempt.state, JSON.stringify(attempt), requestId);
    },
    delete: (requestId) => remove.run(requestId).changes === 1,
    purgeExpired: (nowMs) => Number(purge.run(nowMs).changes),
  };
}
