/**
 * What the ID-JAG redemption needs from the server it runs in: one narrow interface per concern, in the style of
 * oidc-provider's adapters. Implement them over your database (the RAS: SQLite, `apps/authorization-server/src/storage`)
 * or in memory (`examples/node-http-token-endpoint`, one process only).
 */
import type { AuditEvent } from '@ema/storage';
import type { AuthorizationDetailType } from './authorization-details.js';

/** A resource as the jwt-bearer grant sees it for one client (ID-JAG §4.4.1 steps 8-9). */
export interface ResourceForClient {
  /** The RFC 8707 resource identifier: the `aud` of the access token. */
  resource: string;
  /** The scopes the resource defines. */
  resourceScopes: readonly string[];
  /** The scopes this client may obtain there; `undefined` when the client has no grant at this resource. */
  clientScopes: readonly string[] | undefined;
  /** RFC 9396: the authorization details types the resource understands (none: an ID-JAG with any is refused). */
  authorizationDetailTypes?: readonly AuthorizationDetailType[] | undefined;
}

/** The resource and client registry (steps 8-9). Called on the hot path, once or a few times per request. */
export interface ResourceRegistry {
  /** The resource with the client's scopes there, or `undefined` when this server does not serve `resource`. */
  findResourceForClient(resource: string, clientId: string): ResourceForClient | undefined;
}

/** A local account at this server, bound to one (IdP issuer, IdP tenant, IdP subject) triple. */
export interface LocalAccount {
  /** Opaque, stable id of the account here: the `sub` of the access tokens (scoped to this issuer). */
  accountId: string;
  email: string | null;
  name: string | null;
}

/**
 * What an ID-JAG tells the server about its subject (ID-JAG §3.1: `sub`, unique per `iss` and `tenant`; `email` /
 * `name` when sent).
 */
export interface SubjectIdentity {
  iss: string;
  /** ID-JAG §6.3: a multi-tenant issuer's tenant (already pinned by `verifyIdJag`); absent for a single-tenant one. */
  tenant?: string | undefined;
  sub: string;
  email?: string | undefined;
  name?: string | undefined;
}

/** Step 10: subject resolution. Runs inside {@link AtomicCommit.submit}. */
export interface SubjectResolver<A extends LocalAccount = LocalAccount> {
  /**
   * The local account of `(iss, tenant, sub)`, created on first sight when the server provisions just in time (refreshing
   * `email` and `name` when sent), or `undefined` for an unknown subject (refused as `invalid_grant`).
   */
  resolveSubject(identity: SubjectIdentity, nowMs: number): A | undefined;
}

/** One consumed ID-JAG identifier. `exp` is the ID-JAG's own expiry (seconds since the epoch). */
export interface ConsumedJti {
  iss: string;
  jti: string;
  exp: number;
  clientId: string;
}

/** Step 11: single use of `(iss, jti)` (RFC 7523 §3). Runs inside {@link AtomicCommit.submit}. */
export interface ConsumedJtiStore {
  /**
   * Records `(iss, jti)` as used; `false` when it already was. Must be atomic across every process that redeems for
   * this issuer (a primary key decides), and keep the entry at least until `exp` plus the clock tolerance has passed.
   */
  consume(entry: ConsumedJti, nowMs: number): boolean;
}

/** What a revocation cut-off is checked against: the ID-JAG being redeemed, at the resource it is redeemed for. */
export interface CutOffQuery {
  /** The IdP (ID-JAG `iss`) and the user there (`sub`). */
  iss: string;
  sub: string;
  /** The resource the access token would be for. */
  resource: string;
  /** The IdP session (ID-JAG `sid`), when it names one. */
  sid: string | undefined;
  /** ID-JAG `iat` and `auth_time` (seconds, the IdP's clock; `auth_time` defaults to `iat`). */
  issuedAt: number;
  authTime: number;
}

/**
 * Revocation cut-offs the IdP announced (Security Events: a user disabled, a session ended, a grant lost): an ID-JAG
 * issued before the cut-off, from a sign-in before it, or of an ended session is refused (`invalid_grant`). Runs
 * inside {@link AtomicCommit.submit}, so it serialises with the receipt of an event: no redemption slips in between.
 * On the hot path: one indexed read at most.
 */
export interface RevocationCutOffs {
  isCutOff(query: CutOffQuery): boolean;
}

/** Where every redemption, allowed or refused, is recorded with its precise reason. */
export interface RedemptionAuditLog {
  /** Appends one record; called inside {@link AtomicCommit.submit}, so it commits with the step it records. */
  record(event: AuditEvent): void;
}

/**
 * Runs the final step of a redemption (re-check `exp`, resolve the subject, consume the `jti`, record the audit)
 * atomically and durably. `work` is synchronous; the promise settles only once its writes are committed, so a
 * response is never sent before its consumed `jti` and audit record are. `GroupCommit` of `@ema/storage` fits as is
 * (many requests' steps in one transaction); in memory, `{ submit: async (work) => work() }`.
 */
export interface AtomicCommit {
  submit<T>(work: () => T): Promise<T>;
}
