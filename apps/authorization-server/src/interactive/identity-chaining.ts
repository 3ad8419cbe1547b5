/**
 * The organization's policy on the interactive path (identity chaining, ID-JAG §4.3 and §4.4): after the user signed
 * in at the IdP, this server asks the IdP for an ID-JAG addressed to itself for the requested resource and scopes (the
 * same token exchange, policy engine and audit log as every agent's), then accepts it exactly like an ID-JAG a client
 * redeems (signature, `aud`, `client_id` = this server's own id, lifetime, resource, scopes, single use, subject), and
 * grants no more than it carries. A refusal by the IdP is the organization's refusal.
 */
import {
  type AcceptedIdJag,
  type AccessTokenAuthorization,
  ASYMMETRIC_JWS_ALGORITHMS,
  createIdJagAcceptance,
  createTrustedIssuerLookup,
  RedemptionRefusal,
} from '@ema/oauth-server';
import { formatScope, type IdJagClaims } from '@ema/protocol';
import type { RasContext } from '../context.js';
import type { Account } from '../storage/subjects.js';
import type { IdpRelyingParty, StepUpHints } from './idp-relying-party.js';

/** The audit type of each identity-chaining decision at this server. */
export const IDENTITY_CHAINING_AUDIT_TYPE = 'authorization.identity_chaining';

/** What the organization decided. */
export type ChainingOutcome =
  | { ok: true; accepted: AcceptedIdJag<Account> }
  /** The IdP refused (policy: not this user, this resource, these scopes). */
  | { ok: false; refusal: 'organization'; error: string; description: string | undefined }
  /** The IdP asks for a more recent or stronger sign-in first (RFC 9470 §3, ID-JAG §4.3.3). */
  | { ok: false; refusal: 'step_up'; error: string; description: string | undefined; stepUp: StepUpHints }
  /** The IdP answered an ID-JAG this server does not accept (audited with the precise reason). */
  | { ok: false; refusal: 'invalid'; error: string; description: string | undefined };

/** One chaining request. */
export interface ChainingRequest {
  subjectToken: string;
  subjectTokenType: string;
  resource: string;
  scopes: readonly string[];
  /** The MCP client being authorized, for the audit record. */
  clientId: string;
}

/** IdP errors that are the organization's decision about this target (ID-JAG §4.3.3, RFC 9470 §3). */
const ORGANIZATION_REFUSALS = new Set([
  'invalid_target',
  'invalid_scope',
  'access_denied',
  'insufficient_user_authentication',
]);

/** What an access token keeps of the accepted ID-JAG: its issuer and `jti`, and the sign-in's context. */
export function organizationDecision(claims: IdJagClaims): AccessTokenAuthorization {
  return {
    iss: claims.iss,
    jti: claims.jti,
    ...(claims.auth_time === undefined ? {} : { auth_time: claims.auth_time }),
    ...(claims.acr === undefined ? {} : { acr: claims.acr }),
    ...(claims.amr === undefined ? {} : { amr: claims.amr }),
  };
}

/** Builds the chaining step once (its acceptance prepares statements and caches). */
export function createIdentityChaining(
  ctx: RasContext,
  relyingParty: IdpRelyingParty,
  options: { fetch?: typeof fetch; onUnexpectedError: (error: unknown) => void },
): (request: ChainingRequest) => Promise<ChainingOutcome> {
  const { config, storage, now } = ctx;
  const { signIn } = config.interactive;
  const issuers = createTrustedIssuerLookup(storage.registry, {
    ownIssuer: config.issuer,
    now,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const accept = createIdJagAcceptance<Account>({
    issuer: config.issuer,
    algorithms: ASYMMETRIC_JWS_ALGORITHMS,
    maxIdJagLifetimeSeconds: config.maxIdJagLifetimeSeconds,
    clockToleranceSeconds: config.clockToleranceSeconds,
    // Only the IdP the user signed in at speaks for this sign-in.
    trustedIssuers: (iss) => (iss === signIn.issuer ? issuers(iss) : undefined),
    // Any client of the interactive path may ask for any scope of a served resource: the organization's policy and
    // the user's consent decide, not a per-client registration.
    resources: {
      findResourceForClient: (resource) => {
        const found = storage.registry.findResource(resource);
        return found && { resource: found.resource, resourceScopes: found.scopes, clientScopes: found.scopes };
      },
    },
    subjects: config.jitProvisioning
      ? { resolveSubject: (identity, nowMs) => storage.subjects.provision(identity, nowMs) }
      : { resolveSubject: (identity, nowMs) => storage.subjects.resolve(identity, nowMs) },
    // The authorization code path does not carry RFC 9396 details into its tokens yet: an ID-JAG limited by them is
    // refused rather than turned into a broader token.
    authorizationDetails: 'refuse',
    consumedJtis: storage.consumedJtis,
    audit: storage.audit,
    commit: storage.groupCommit,
    now,
    auditType: IDENTITY_CHAINING_AUDIT_TYPE,
    onUnexpectedError: options.onUnexpectedError,
  });

  return async (request) => {
    const scope = formatScope(request.scopes);
    const answer = await relyingParty.requestIdJag({
      subjectToken: request.subjectToken,
      subjectTokenType: request.subjectTokenType,
      audience: config.issuer,
      resource: request.resource,
      scope,
    });
    if (!answer.ok) {
      // The IdP audited its decision; this server records that the authorization stopped there.
      storage.audit.record({
        type: IDENTITY_CHAINING_AUDIT_TYPE,
        outcome: 'deny',
        reason: `idp_${answer.error}`,
        clientId: request.clientId,
        resource: request.resource,
        details: { error: answer.error, idp_error_description: answer.description ?? null, requested_scope: scope },
      });
      if (answer.error === 'insufficient_user_authentication') {
        return {
          ok: false,
          refusal: 'step_up',
          error: answer.error,
          description: answer.description,
          stepUp: answer.stepUp,
        };
      }
      const refusal = ORGANIZATION_REFUSALS.has(answer.error) ? 'organization' : 'invalid';
      return { ok: false, refusal, error: answer.error, description: answer.description };
    }
    try {
      const accepted = await accept({
        assertion: answer.idJag,
        clientId: signIn.clientId,
        scope,
        resource: request.resource,
        auditDetails: { authorized_client_id: request.clientId },
      });
      return { ok: true, accepted };
    } catch (error) {
      if (!(error instanceof RedemptionRefusal)) throw error;
      return { ok: false, refusal: 'invalid', error: error.error, description: error.reason };
    }
  };
}
