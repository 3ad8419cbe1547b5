/**
 * Accepting an ID-JAG (ID-JAG §4.4.1 steps 2-11, RFC 7523 §3, EMA §7), neutral to framework and storage: verify it,
 * pick the one resource and the scopes it grants, resolve its subject to a local account and consume its `jti`, with
 * the audit record of the decision committed before the caller goes on. The jwt-bearer grant then mints an access
 * token (`createIdJagRedemption`); the interactive path verifies the ID-JAG it obtained for itself by identity
 * chaining the same way, then issues an authorization code.
 */
import { type TrustedIssuer, verifyIdJag } from '@ema/jwt';
import { type AuthorizationDetails, formatScope, type IdJagClaims } from '@ema/protocol';
import { grantAuthorizationDetails } from './authorization-details.js';
import { grantScopes } from './grant-scopes.js';
import { refuseUnsupportedClaims } from './id-jag-claims.js';
import { checkProofOfPossession } from './proof-of-possession.js';
import { assertionFailure, auditRefusal, REDEMPTION_AUDIT_TYPE } from './redemption-audit.js';
import type {
  AtomicCommit,
  ConsumedJtiStore,
  LocalAccount,
  RedemptionAuditLog,
  ResourceRegistry,
  RevocationCutOffs,
  SubjectResolver,
} from './redemption-storage.js';
import { RedemptionRefusal } from './refusal.js';
import { grantedResources, selectResource } from './select-resource.js';

/** Configuration and storage of {@link createIdJagAcceptance}; build it once, not per request. */
export interface IdJagAcceptanceOptions<A extends LocalAccount = LocalAccount> {
  /** This server's issuer identifier: the exact `aud` of every ID-JAG (step 5), never a trusted issuer (step 3). */
  issuer: string;
  /** RFC 8725 §3.1: the `alg` allow-list, asymmetric only (e.g. `ASYMMETRIC_JWS_ALGORITHMS`); an IdP may narrow it. */
  algorithms: readonly string[];
  /** Upper bound on `exp - iat` of an ID-JAG (step 7). */
  maxIdJagLifetimeSeconds: number;
  /** Leeway for `exp`, `iat` and `nbf` (step 7), and for the `exp` re-check of the final step. */
  clockToleranceSeconds: number;
  /** Steps 3-4: explicitly configured issuers only (see `createTrustedIssuerLookup`). */
  trustedIssuers: (iss: string) => TrustedIssuer | undefined;
  /** Steps 8-9. */
  resources: ResourceRegistry;
  /** Step 10 (inside `commit`). */
  subjects: SubjectResolver<A>;
  /** Step 11 (inside `commit`). */
  consumedJtis: ConsumedJtiStore;
  /**
   * Revocation announced by the IdP (inside `commit`, before the subject is resolved and the `jti` consumed): an
   * ID-JAG that a cut-off covers is refused as `invalid_grant` (`ERR_ID_JAG_CUT_OFF` in the audit log).
   */
  cutOffs?: RevocationCutOffs;
  /** Every decision, allowed or refused, with its precise reason (inside `commit`). */
  audit: RedemptionAuditLog;
  /** Runs the final step and each refusal's audit record atomically, resolving once they are durable. */
  commit: AtomicCommit;
  /** Epoch milliseconds. */
  now: () => number;
  /** The audit record's type (default `jwt_bearer.redemption`). */
  auditType?: string;
  /**
   * Told about a failure that is not a designed refusal (the resource registry threw: an outage or a bug), for the
   * server log; the request is refused as `invalid_grant`, audited as `ERR_UNEXPECTED`.
   */
  onUnexpectedError?: (error: unknown) => void;
  /**
   * `honour` (default): RFC 9396 `authorization_details` are checked and returned for the access token. `refuse`: for
   * a caller that cannot carry them into what it issues, an ID-JAG with them is refused (`invalid_grant`) rather
   * than turned into something broader.
   */
  authorizationDetails?: 'honour' | 'refuse';
}

/** One ID-JAG to accept. */
export interface AcceptanceRequest {
  assertion: string;
  /** The client the ID-JAG must be issued to (its `client_id`, step 6) and whose resource grants apply. */
  clientId: string;
  /** The requested `scope`, or `undefined` when absent or empty. */
  scope: string | undefined;
  /** The requested `resource` (RFC 8707), or `undefined`. */
  resource: string | undefined;
  /** The `authorization_details` request parameter (RFC 9396 §6.2), parsed, or `undefined`. */
  authorizationDetails?: AuthorizationDetails | undefined;
  /** RFC 9449 §6.1: the thumbprint of the key the request's DPoP proof was made with, when it carried one. */
  dpopJkt?: string | undefined;
  /** Added to the `details` of every audit record of this request. */
  auditDetails?: Record<string, unknown>;
  /** Added to the `details` of the audit record when the ID-JAG is accepted. */
  allowAuditDetails?: Record<string, unknown>;
}

/** An accepted ID-JAG: its claims, the local account, the one resource and the granted scope. */
export interface AcceptedIdJag<A extends LocalAccount = LocalAccount> {
  claims: IdJagClaims;
  account: A;
  resource: string;
  scope: string;
  /** RFC 9396: what the access token may carry at most; `undefined` when the ID-JAG carried none. */
  authorizationDetails: AuthorizationDetails | undefined;
  /** The clock reading the decision was taken at (epoch milliseconds). */
  nowMs: number;
}

/** Accepts one ID-JAG; rejects with a {@link RedemptionRefusal} (already audited) or, for a storage failure, its error. */
export type IdJagAcceptance<A extends LocalAccount = LocalAccount> = (
  request: AcceptanceRequest,
) => Promise<AcceptedIdJag<A>>;

interface CommitInput {
  claims: IdJagClaims;
  request: AcceptanceRequest;
  resource: string;
  scope: string;
}

type CommitOutcome<A> = { ok: true; account: A } | { ok: false; refusal: RedemptionRefusal };

/** Builds the acceptance function; everything that can be prepared once is prepared here. */
export function createIdJagAcceptance<A extends LocalAccount>(options: IdJagAcceptanceOptions<A>): IdJagAcceptance<A> {
  const { audit, commit, subjects, consumedJtis, resources } = options;
  const tolerance = options.clockToleranceSeconds;
  const type = options.auditType ?? REDEMPTION_AUDIT_TYPE;

  // Steps 10 and 11 and the audit record, in one atomic write (the RAS shares it with the other requests of this
  // event-loop turn: group commit); the caller resumes only after it committed.
  const commitStep = ({ claims, request, resource, scope }: CommitInput): CommitOutcome<A> => {
    const nowMs = options.now();
    const refuse = (refusal: RedemptionRefusal): CommitOutcome<A> => {
      auditRefusal(audit, refusal, request.clientId, claims, resource, undefined, type, request.auditDetails);
      return { ok: false, refusal };
    };
    // Re-checked under the write lock: a purge (which only deletes expired entries) that ran after verification
    // can then never free a jti that this request would still accept.
    if (claims.exp <= Math.floor(nowMs / 1000) - tolerance) return refuse(assertionFailure('ERR_JWT_EXPIRED'));
    // Revocation across the chain: a user disabled, a session ended or a grant lost at the IdP before this ID-JAG
    // was issued (or before its sign-in) stops it here, under the same lock as the event that announced it.
    const cutOff = options.cutOffs?.isCutOff({
      iss: claims.iss,
      sub: claims.sub,
      resource,
      sid: claims.sid,
      issuedAt: claims.iat,
      authTime: claims.auth_time ?? claims.iat,
    });
    if (cutOff === true) return refuse(assertionFailure('ERR_ID_JAG_CUT_OFF'));
    // Step 10: subject resolution, (iss, tenant, sub) -> local account (ID-JAG §3.1: sub is unique per issuer and
    // tenant).
    const account = subjects.resolveSubject(claims, nowMs);
    if (!account) return refuse(assertionFailure('ERR_SUBJECT_UNKNOWN'));
    // ID-JAG §3.1 aud_sub: the IdP's idea of our id for the user. Never a way to pick an account (that would let one
    // issuer name another's); a cross-check that refuses when the IdP and this server disagree about who it is.
    if (claims.aud_sub !== undefined && claims.aud_sub !== account.accountId) {
      return refuse(assertionFailure('ERR_AUD_SUB_MISMATCH'));
    }
    // Step 11, last: RFC 7523 §3 / EMA single use, atomic on (iss, jti).
    const consumed = consumedJtis.consume(
      { iss: claims.iss, jti: claims.jti, exp: claims.exp, clientId: request.clientId },
      nowMs,
    );
    if (!consumed) return refuse(assertionFailure('ERR_ID_JAG_REPLAYED'));
    audit.record({
      type,
      outcome: 'allow',
      clientId: request.clientId,
      subject: claims.sub,
      resource,
      jti: claims.jti,
      details: {
        iss: claims.iss,
        account_id: account.accountId,
        scope,
        ...request.auditDetails,
        ...request.allowAuditDetails,
      },
    });
    return { ok: true, account };
  };
  // A refusal's audit record is committed the same way: before the response is sent.
  const refuseAudited = async (
    refusal: RedemptionRefusal,
    request: AcceptanceRequest,
    claims: IdJagClaims | undefined,
    resource: string | undefined,
  ): Promise<never> => {
    // The assertion is summarized (unverified) only when no claims were verified; auditRefusal prefers the claims.
    await commit.submit(() =>
      auditRefusal(audit, refusal, request.clientId, claims, resource, request.assertion, type, request.auditDetails),
    );
    throw refusal;
  };

  return async (request) => {
    const nowMs = options.now();
    let claims: IdJagClaims;
    try {
      // Steps 2-7: typ, alg allow-list, crit, trusted issuer (never ourselves), signature, aud exactly our
      // issuer, client_id = the expected client, exp / iat / nbf / lifetime cap.
      ({ claims } = await verifyIdJag(request.assertion, {
        algorithms: options.algorithms,
        trustedIssuers: options.trustedIssuers,
        audience: options.issuer,
        rejectIssuer: options.issuer,
        clientId: request.clientId,
        maxLifetimeSeconds: options.maxIdJagLifetimeSeconds,
        clockToleranceSeconds: tolerance,
        currentDate: new Date(nowMs),
      }));
    } catch (error) {
      // verifyIdJag fails with a coded JwtValidationError only: the audit log gets its code as the reason.
      return refuseAudited(assertionFailure(error), request, undefined, undefined);
    }

    let resource: string;
    let scope: string[];
    let authorizationDetails: AuthorizationDetails | undefined;
    try {
      // Claims this server cannot honour (act, aud_tenant) refuse the grant: see id-jag-claims.ts.
      refuseUnsupportedClaims(claims);
      // Proof of possession: an ID-JAG with cnf is redeemed only with a DPoP proof by that key (ID-JAG §3 cnf).
      checkProofOfPossession(claims, request.dpopJkt);
      if (options.authorizationDetails === 'refuse' && claims.authorization_details !== undefined) {
        throw assertionFailure('ERR_AUTHORIZATION_DETAILS_UNKNOWN_TYPE');
      }
      // Step 8: the resource; step 9: the scopes; then RFC 9396 authorization details, at most what the ID-JAG allows.
      const selected = selectResource(grantedResources(claims), request.resource, (candidate) =>
        resources.findResourceForClient(candidate, request.clientId),
      );
      resource = selected.resource;
      scope = grantScopes(claims.scope, request.scope, selected.resourceScopes, selected.clientScopes);
      authorizationDetails = grantAuthorizationDetails({
        granted: claims.authorization_details,
        requested: request.authorizationDetails,
        resource,
        types: selected.authorizationDetailTypes ?? [],
      });
    } catch (error) {
      // Anything but a designed refusal is the resource registry failing (an outage or a bug): for the server log.
      if (!(error instanceof RedemptionRefusal)) options.onUnexpectedError?.(error);
      return refuseAudited(assertionFailure(error), request, claims, request.resource);
    }

    const scopeString = formatScope(scope);
    const outcome = await commit.submit(() => commitStep({ claims, request, resource, scope: scopeString }));
    if (!outcome.ok) throw outcome.refusal;
    return { claims, account: outcome.account, resource, scope: scopeString, authorizationDetails, nowMs };
  };
}
