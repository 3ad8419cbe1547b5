/**
 * The jwt-bearer grant's decision logic (ID-JAG §4.4.1, RFC 7523 §3, EMA §7), framework-neutral: it takes the
 * already-authenticated client and the request parameters and returns an access token or a refusal. Client
 * authentication (step 1) is the token endpoint pipeline's job.
 */
import { randomUUID } from 'node:crypto';
import { type Signer, type TrustedIssuer, verifyIdJag } from '@ema/jwt';
import { formatScope, type IdJagClaims } from '@ema/protocol';
import { SUPPORTED_ASYMMETRIC_ALGORITHMS } from '../algorithms.js';
import type { RasStorage } from '../storage/ras-storage.js';
import type { Account } from '../storage/subjects.js';
import { issueAccessToken } from '../tokens/issue-access-token.js';
import { grantScopes } from './grant-scopes.js';
import { assertionFailure, auditRefusal, REDEMPTION_AUDIT_TYPE } from './redemption-audit.js';
import { RedemptionRefusal } from './refusal.js';
import { selectResource } from './select-resource.js';

/** What the redemption needs from configuration and the rest of the app. */
export interface IdJagRedemptionOptions {
  issuer: string;
  accessTokenTtlSeconds: number;
  maxIdJagLifetimeSeconds: number;
  clockToleranceSeconds: number;
  jitProvisioning: boolean;
  storage: RasStorage;
  trustedIssuers: (iss: string) => TrustedIssuer | undefined;
  signer: () => Signer;
  /** Epoch milliseconds. */
  now: () => number;
  log: { error(object: unknown, message: string): void };
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
export interface RedemptionResult {
  accessToken: string;
  expiresIn: number;
  scope: string;
  accessTokenJti: string;
  account: Account;
}

interface CommitInput {
  claims: IdJagClaims;
  clientId: string;
  resource: string;
  scope: string;
  accessTokenJti: string;
}

type CommitOutcome = { ok: true; account: Account } | { ok: false; refusal: RedemptionRefusal };

/** Builds the redemption function; statements, transaction and issuer cache are prepared once, here. */
export function createIdJagRedemption(
  options: IdJagRedemptionOptions,
): (request: RedemptionRequest) => Promise<RedemptionResult> {
  const { storage } = options;
  const tolerance = options.clockToleranceSeconds;

  // Steps 10 and 11 and the audit record, in one write transaction shared with the other requests of this
  // event-loop turn (group commit); the caller resumes only after that transaction committed.
  const commitStep = (input: CommitInput): CommitOutcome => {
    const nowMs = options.now();
    const { claims } = input;
    const refuse = (refusal: RedemptionRefusal): CommitOutcome => {
      auditRefusal(storage.audit, refusal, input.clientId, claims, input.resource);
      return { ok: false, refusal };
    };
    // Re-checked under the write lock: a purge (which only deletes expired entries) that ran after verification
    // can then never free a jti that this request would still accept.
    if (claims.exp <= Math.floor(nowMs / 1000) - tolerance) return refuse(assertionFailure('ERR_JWT_EXPIRED'));
    // Step 10: subject resolution, (iss, sub) -> local account.
    const identity = { iss: claims.iss, sub: claims.sub, email: claims.email, name: claims.name };
    const account = options.jitProvisioning
      ? storage.subjects.provision(identity, nowMs)
      : storage.subjects.resolve(claims.iss, claims.sub, nowMs);
    if (!account) return refuse(assertionFailure('ERR_SUBJECT_UNKNOWN'));
    // Step 11, last: RFC 7523 §3 / EMA single use, atomic on the (iss, jti) primary key.
    const consumed = storage.consumedJtis.consume(
      { iss: claims.iss, jti: claims.jti, exp: claims.exp, clientId: input.clientId },
      nowMs,
    );
    if (!consumed) return refuse(assertionFailure('ERR_ID_JAG_REPLAYED'));
    storage.audit.record({
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
  const commit = (input: CommitInput): Promise<CommitOutcome> => storage.groupCommit.submit(() => commitStep(input));
  // A refusal's audit record joins the same batch: it too is committed before the response is sent.
  const refuseAudited = async (
    refusal: RedemptionRefusal,
    clientId: string,
    claims: IdJagClaims | undefined,
    resource: string | undefined,
    assertion?: string,
  ): Promise<never> => {
    await storage.groupCommit.submit(() => auditRefusal(storage.audit, refusal, clientId, claims, resource, assertion));
    throw refusal;
  };

  return async (request) => {
    const nowMs = options.now();
    let claims: IdJagClaims;
    try {
      // Steps 2-7: typ, alg allow-list, crit, trusted issuer (never ourselves), signature, aud exactly our
      // issuer, client_id = the authenticated client, exp / iat / nbf / lifetime cap.
      ({ claims } = await verifyIdJag(request.assertion, {
        algorithms: SUPPORTED_ASYMMETRIC_ALGORITHMS,
        trustedIssuers: options.trustedIssuers,
        audience: options.issuer,
        rejectIssuer: options.issuer,
        clientId: request.clientId,
        maxLifetimeSeconds: options.maxIdJagLifetimeSeconds,
        clockToleranceSeconds: tolerance,
        currentDate: new Date(nowMs),
      }));
    } catch (error) {
      const refusal = assertionFailure(error);
      if (refusal.reason === 'ERR_UNEXPECTED')
        options.log.error({ err: error }, 'ID-JAG verification failed unexpectedly');
      return refuseAudited(refusal, request.clientId, undefined, undefined, request.assertion);
    }

    let resource: string;
    let scope: string[];
    try {
      // Step 8: the resource; step 9: the scopes.
      const selected = selectResource(grantedResources(claims), request.resource, (candidate) =>
        storage.registry.findResourceForClient(candidate, request.clientId),
      );
      resource = selected.resource;
      scope = grantScopes(claims.scope, request.scope, selected.resourceScopes, selected.clientScopes);
    } catch (error) {
      const refusal = error instanceof RedemptionRefusal ? error : assertionFailure(error);
      return refuseAudited(refusal, request.clientId, claims, request.resource);
    }

    const accessTokenJti = randomUUID();
    const scopeString = formatScope(scope);
    const outcome = await commit({ claims, clientId: request.clientId, resource, scope: scopeString, accessTokenJti });
    if (!outcome.ok) throw outcome.refusal;

    const iat = Math.floor(nowMs / 1000);
    const accessToken = await issueAccessToken(
      { issuer: options.issuer, ttlSeconds: options.accessTokenTtlSeconds, signer: options.signer() },
      {
        account: outcome.account,
        idJag: claims,
        clientId: request.clientId,
        resource,
        scope: scopeString,
        jti: accessTokenJti,
        iat,
      },
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

/** The ID-JAG `resource` claim as a list; a malformed claim is an assertion failure (never a 500). */
function grantedResources(claims: IdJagClaims): string[] {
  const { resource } = claims;
  if (resource === undefined) return [];
  const list: unknown[] = Array.isArray(resource) ? resource : [resource];
  if (!list.every((entry): entry is string => typeof entry === 'string')) {
    throw assertionFailure('ERR_JWT_CLAIM_INVALID');
  }
  return list;
}
