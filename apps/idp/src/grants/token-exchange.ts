import { type GrantModule, InvalidTargetError, markAudited, UnauthorizedClientError } from '@ema/oauth-server';
import {
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ID_JAG,
  TOKEN_TYPE_NOT_APPLICABLE,
  type TokenExchangeResponse,
} from '@ema/protocol';
import { issueIdJag } from '../id-jag/issue-id-jag.js';
import { type IdpContext, nowSeconds } from '../idp-context.js';
import { evaluatePolicy } from '../policy/evaluate-policy.js';
import { policyRefusal } from '../policy/policy-refusal.js';
import type { IdpClient, ProtectedResource } from '../storage/directory-types.js';
import { ExchangeRefusal } from './exchange-refusal.js';
import { resolveExchangeSubject } from './subject-token.js';
import { readTokenExchangeParameters, type TokenExchangeParameters } from './token-exchange-parameters.js';

/** Audit event type of every token-exchange decision. */
export const EXCHANGE_AUDIT_TYPE = 'id_jag.exchange';

/**
 * The token exchange that issues ID-JAGs (RFC 8693, ID-JAG §4.3), running the profile's IdP checks in order:
 * (1) client authentication (done by the token endpoint) and the client's permission to request ID-JAGs,
 * (2) parameters, (3) subject token, (4) the (`audience`, `resource`) pair and the client's id at that RAS,
 * (5) policy, (6) minting. Every decision, allow or deny, is audited with its reason and explanation.
 */
export function tokenExchangeGrant(context: IdpContext): GrantModule<IdpClient, TokenExchangeResponse> {
  return {
    grantType: GRANT_TYPE_TOKEN_EXCHANGE,
    async handler({ params, client }) {
      const audit = { subject: undefined as string | undefined, resource: undefined as string | undefined };
      try {
        return await exchange(context, params, client, audit);
      } catch (error) {
        if (!(error instanceof ExchangeRefusal)) throw error;
        // Group commit: answered only once this record is committed (a failed commit becomes server_error).
        await context.audit.recordCommitted({
          type: EXCHANGE_AUDIT_TYPE,
          outcome: 'deny',
          reason: error.reason,
          clientId: client.clientId,
          ...(audit.subject === undefined ? {} : { subject: audit.subject }),
          ...(audit.resource === undefined ? {} : { resource: audit.resource }),
          details: { error: error.oauthError.error, ...error.details },
        });
        throw markAudited(error.oauthError);
      }
    },
  };
}

async function exchange(
  context: IdpContext,
  params: ReadonlyMap<string, string>,
  client: IdpClient,
  audit: { subject: string | undefined; resource: string | undefined },
): Promise<TokenExchangeResponse> {
  // RFC 6749 §5.2 unauthorized_client: this client is not allowed the ID-JAG exchange at all.
  if (!client.mayRequestIdJag) {
    throw new ExchangeRefusal(new UnauthorizedClientError('this client may not request ID-JAGs'), 'client_not_allowed');
  }
  const parameters = readTokenExchangeParameters(params);
  audit.resource = parameters.resource;
  const subject = await resolveExchangeSubject(context, parameters, client.clientId);
  audit.subject = subject.user.id;
  const { resource, rasClientId } = resolveTarget(context, parameters, client);

  const now = nowSeconds(context);
  const evaluation = evaluatePolicy({
    user: subject.user,
    clientId: client.clientId,
    resource,
    requestedScopes: parameters.scopes,
    authentication: { authTime: subject.authTime, amr: subject.amr },
    rules: context.storage.policyRulesForResource(resource.id),
    now,
  });
  const explanation = {
    audience: parameters.audience,
    requestedScopes: parameters.scopes ?? null,
    matchedRules: evaluation.matchedRules.map((rule) => rule.id),
    droppedScopes: evaluation.droppedScopes,
    explanation: evaluation.explanation,
  };
  const refusal = policyRefusal(evaluation);
  if (refusal !== undefined) throw new ExchangeRefusal(refusal, `policy_${evaluation.decision}`, explanation);

  const idJag = await issueIdJag(
    {
      issuer: context.config.issuer,
      user: subject.user,
      resource,
      rasClientId,
      grantedScopes: evaluation.grantedScopes,
      authTime: subject.authTime,
      amr: subject.amr,
      now,
      ttlSeconds: context.config.idJagTtlSeconds,
    },
    context.keyStore.signer(),
  );
  // Group commit with the other requests of this event-loop turn; the ID-JAG leaves only after the record of its
  // issuance is committed (a failed commit becomes server_error and the ID-JAG is never sent).
  await context.audit.recordCommitted({
    type: EXCHANGE_AUDIT_TYPE,
    outcome: 'allow',
    reason: 'policy_allow',
    subject: subject.user.id,
    clientId: client.clientId,
    resource: resource.resource,
    jti: idJag.claims.jti,
    details: {
      ...explanation,
      rasClientId,
      grantedScopes: evaluation.grantedScopes,
      subjectTokenId: subject.subjectTokenId,
    },
  });
  // RFC 8693 §2.2.1 / ID-JAG §4.3.2: the ID-JAG travels in access_token, token_type N_A, never a refresh token.
  return {
    issued_token_type: TOKEN_TYPE_ID_JAG,
    access_token: idJag.token,
    token_type: TOKEN_TYPE_NOT_APPLICABLE,
    expires_in: context.config.idJagTtlSeconds,
    ...(idJag.claims.scope === undefined ? {} : { scope: idJag.claims.scope }),
  };
}

/**
 * Step 4: EMA §7.6.1: the `resource` must be one the IdP knows and `audience` exactly the issuer of the RAS that
 * serves it; the client must have an id at that RAS (else there is nothing to put in `client_id`): `invalid_target`.
 */
function resolveTarget(
  context: IdpContext,
  parameters: TokenExchangeParameters,
  client: IdpClient,
): { resource: ProtectedResource; rasClientId: string } {
  const resource = context.storage.findResourceByIdentifier(parameters.resource);
  if (resource === undefined) {
    throw new ExchangeRefusal(new InvalidTargetError('unknown resource'), 'unknown_resource', {
      audience: parameters.audience,
    });
  }
  if (resource.audience !== parameters.audience) {
    throw new ExchangeRefusal(
      new InvalidTargetError('the audience is not the authorization server of this resource'),
      'audience_resource_mismatch',
      { audience: parameters.audience, expectedAudience: resource.audience },
    );
  }
  const rasClientId = client.rasClientIds[resource.audience];
  if (rasClientId === undefined) {
    throw new ExchangeRefusal(
      new InvalidTargetError('this client is not registered at that authorization server'),
      'client_not_registered_at_audience',
      { audience: parameters.audience },
    );
  }
  return { resource, rasClientId };
}
