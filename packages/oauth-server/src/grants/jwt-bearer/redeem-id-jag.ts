/**
 * The jwt-bearer grant's decision logic (ID-JAG §4.4.1 steps 2-11, RFC 7523 §3, EMA §7), neutral to framework and
 * storage: it takes the already-authenticated client and the request parameters and returns an access token or a
 * refusal. Client authentication (step 1) is the token endpoint pipeline's job; storage is reached through the
 * interfaces of `redemption-storage.ts`.
 */
import { randomUUID } from 'node:crypto';
import { mintAccessToken, type Signer, type TrustedIssuer, verifyIdJag } from '@ema/jwt';
import { formatScope, type IdJagClaims } from '@ema/protocol';
import { accessTokenClaims } from './access-token-claims.js';
import { grantScopes } from './grant-scopes.js';
import { assertionFailure, auditRefusal, REDEMPTION_AUDIT_TYPE } from './redemption-audit.js';
import type {
  AtomicCommit,
  ConsumedJtiStore,
  LocalAccount,
  RedemptionAuditLog,
  ResourceRegistry,
  SubjectResolver,
} from './redemption-storage.js';
import { RedemptionRefusal } from './refusal.js';
import { grantedResources, selectResource } from './select-resource.js';

/** Configuration and storage of {@link createIdJagRedemption}; build it once, not per request. */
export interface IdJagRedemptionOptions<A extends LocalAccount = LocalAccount> {
  /** This server's issuer identifier: the exact `aud` of every ID-JAG (step 5), never a trusted issuer (step 3). */
  issuer: string;
  /** RFC 8725 §3.1: the `alg` allow-list, asymmetric only (e.g. `ASYMMETRIC_JWS_ALGORITHMS`); an IdP may narrow it. */
  algorithms: readonly string[];
  accessTokenTtlSeconds: number;
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
  /** Every redemption, allowed or refused, with its precise reason (inside `commit`). */
  audit: RedemptionAuditLog;
  /** Runs the final step and each refusal's audit record atomically, resolving once they are durable. */
  commit: AtomicCommit;
  /** The current access-token signing key (e.g. `() => keyStore.signer()`). */
  signer: () => Signer;
  /** Epoch milliseconds. */
  now: () => number;
  /** The access token's `jti` (default `crypto.randomUUID`). */
  newId?: () => string;
  /**
   * Told about a failure that is not a designed refusal (the resource registry threw: an outage or a bug), for the
   * server log; the request is refused as `invalid_grant`, audited as `ERR_UNEXPECTED`.
   */
  onUnexpectedError?: (error: unknown) => void;
}

/** One jwt-bearer request, after client authentication. */
export interface RedemptionRequest {
  assertion: string;
  clientId: string;
  /** The `scope` request parameter, or `undefined` when absent or empty. */
  scope: string | undefined;
  /** The `resource` request parameter (RFC 8707), or `undefined`. */
  resource: string | undefined;
}

/** A successful redemption. */
export interface RedemptionResult<A extends LocalAccount = LocalAccount> {
  accessToken: string;
  expiresIn: number;
  scope: string;
  accessTokenJti: string;
  account: A;
}

/** Redeems one ID-JAG; rejects with a {@link RedemptionRefusal} (already audited) or, for a storage failure, its error. */
export type IdJagRedemption<A extends LocalAccount = LocalAccount> = (
  request: RedemptionRequest,
) => Promise<RedemptionResult<A>>;

interface CommitInput {
  claims: IdJagClaims;
  clientId: string;
  resource: string;
  scope: string;
  accessTokenJti: string;
}

type CommitOutcome<A> = { ok: true; account: A } | { ok: false; refusal: RedemptionRefusal };

/** Builds the redemption function; everything that can be prepared once is prepared here. */
export function createIdJagRedemption<A extends LocalAccount>(options: IdJagRedemptionOptions<A>): IdJagRedemption<A> {
  const { audit, commit, subjects, consumedJtis, resources } = options;
  const tolerance = options.clockToleranceSeconds;
  const newId = options.newId ?? randomUUID;

  // Steps 10 and 11 and the audit record, in one atomic write (the RAS shares it with the other requests of this
  // event-loop turn: group commit); the caller resumes only after it committed.
  const commitStep = (input: CommitInput): CommitOutcome<A> => {
    const nowMs = options.now();
    const { claims } = input;
    const refuse = (refusal: RedemptionRefusal): CommitOutcome<A> => {
      auditRefusal(audit, refusal, input.clientId, claims, input.resource);
      return { ok: false, refusal };
    };
    // Re-checked under the write lock: a purge (which only deletes expired entries) that ran after verification
    // can then never free a jti that this request would still accept.
    if (claims.exp <= Math.floor(nowMs / 1000) - tolerance) return refuse(assertionFailure('ERR_JWT_EXPIRED'));
    // Step 10: subject resolution, (iss, sub) -> local account.
    const account = subjects.resolveSubject(claims, nowMs);
    if (!account) return refuse(assertionFailure('ERR_SUBJECT_UNKNOWN'));
    // Step 11, last: RFC 7523 §3 / EMA single use, atomic on (iss, jti).
    const consumed = consumedJtis.consume(
      { iss: claims.iss, jti: claims.jti, exp: claims.exp, clientId: input.clientId },
      nowMs,
    );
    if (!consumed) return refuse(assertionFailure('ERR_ID_JAG_REPLAYED'));
    audit.record({
      type: REDEMPTION_AUDIT_TYPE,
      outcome: 'allow',
      clientId: input.clientId,
      subject: claims.sub,
      resource: input.resource,
      jti: claims.jti,
      details: {
        iss: claims.iss,
        account_id: account.accountId,
        scope: input.scope,
        access_token_jti: input.accessTokenJti,
      },
    });
    return { ok: true, account };
  };
  // A refusal's audit record is committed the same way: before the response is sent.
  const refuseAudited = async (
    refusal: RedemptionRefusal,
    clientId: string,
    claims: IdJagClaims | undefined,
    resource: string | undefined,
    assertion?: string,
  ): Promise<never> => {
    await commit.submit(() => auditRefusal(audit, refusal, clientId, claims, resource, assertion));
    throw refusal;
  };

  return async (request) => {
    const nowMs = options.now();
    let claims: IdJagClaims;
    try {
      // Steps 2-7: typ, alg allow-list, crit, trusted issuer (never ourselves), signature, aud exactly our
      // issuer, client_id = the authenticated client, exp / iat / nbf / lifetime cap.
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
      return refuseAudited(assertionFailure(error), request.clientId, undefined, undefined, request.assertion);
    }

    let resource: string;
    let scope: string[];
    try {
      // Step 8: the resource; step 9: the scopes.
      const selected = selectResource(grantedResources(claims), request.resource, (candidate) =>
        resources.findResourceForClient(candidate, request.clientId),
      );
      resource = selected.resource;
      scope = grantScopes(claims.scope, request.scope, selected.resourceScopes, selected.clientScopes);
    } catch (error) {
      // Anything but a designed refusal is the resource registry failing (an outage or a bug): for the server log.
      if (!(error instanceof RedemptionRefusal)) options.onUnexpectedError?.(error);
      return refuseAudited(assertionFailure(error), request.clientId, claims, request.resource);
    }

    const accessTokenJti = newId();
    const scopeString = formatScope(scope);
    const input: CommitInput = { claims, clientId: request.clientId, resource, scope: scopeString, accessTokenJti };
    const outcome = await commit.submit(() => commitStep(input));
    if (!outcome.ok) throw outcome.refusal;

    // After the jti is consumed nothing may refuse: signing uses an in-memory key. Should it still fail, the request
    // is a server_error and the client mints a new ID-JAG.
    const accessToken = await mintAccessToken(
      accessTokenClaims(options.issuer, options.accessTokenTtlSeconds, {
        account: outcome.account,
        idJag: claims,
        clientId: request.clientId,
        resource,
        scope: scopeString,
        jti: accessTokenJti,
        iat: Math.floor(nowMs / 1000),
      }),
      options.signer(),
    );
    return {
      accessToken,
      expiresIn: options.accessTokenTtlSeconds,
      scope: scopeString,
      accessTokenJti,
      account: outcome.account,
    };
  };
}
