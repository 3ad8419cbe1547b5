import { randomUUID } from 'node:crypto';
import {
  DEFAULT_ALGORITHMS,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ID_JAG,
  TOKEN_TYPE_NOT_APPLICABLE,
  type TokenExchangeResponse,
} from '@ema/protocol';
import type { RegisteredClient } from '../../client-auth/registered-client.js';
import { UnauthorizedClientError } from '../../errors/token-errors.js';
import { markAudited } from '../../token-endpoint/audited-refusal.js';
import type { GrantModule } from '../../token-endpoint/grant-module.js';
import { policyRefusal } from './exchange-policy.js';
import { ExchangeRefusal } from './exchange-refusal.js';
import { type ExchangeResource, resolveExchangeTarget } from './exchange-target.js';
import { issueIdJag } from './issue-id-jag.js';
import { type ExchangeUser, resolveExchangeSubject } from './subject-token.js';
import type { TokenExchangeGrantOptions } from './token-exchange-options.js';
import { readTokenExchangeParameters } from './token-exchange-parameters.js';

/** Audit event type of every token-exchange decision, allow or deny. */
export const ID_JAG_EXCHANGE_AUDIT_TYPE = 'id_jag.exchange';

/**
 * The token exchange that issues ID-JAGs (RFC 8693, ID-JAG §4.3), as a grant module of the token endpoint. It runs
 * the profile's IdP checks in order: (1) client authentication (done by the token endpoint) and the client's
 * permission to request ID-JAGs, (2) parameters, (3) subject token, (4) the (`audience`, `resource`) pair and the
 * client's id at that RAS, (5) policy, (6) minting. Every decision, allow or deny, is audited with its reason and
 * explanation, and committed before the answer; a refusal is marked audited, so the token endpoint's `onRefusal`
 * does not record it twice.
 */
export function tokenExchangeGrant<C extends RegisteredClient, U extends ExchangeUser, R extends ExchangeResource>(
  options: TokenExchangeGrantOptions<C, U, R>,
): GrantModule<C, TokenExchangeResponse> {
  // Defaults resolved once: the handler reads one settled object per request.
  const settled = {
    ...options,
    idTokenAlgorithms: options.idTokenAlgorithms ?? DEFAULT_ALGORITHMS,
    newJti: options.newJti ?? randomUUID,
    now: options.now ?? Date.now,
  };
  const { audit, acrValues, issuer, idJagTtlSeconds: ttlSeconds, mayRequestIdJag, newJti, now } = settled;
  return {
    grantType: GRANT_TYPE_TOKEN_EXCHANGE,
    async handler({ params, client, dpop }) {
      // What the refusal's audit record can name, as far as the checks got.
      let subjectId: string | undefined;
      let requestedResource: string | undefined;
      try {
        // RFC 6749 §5.2 unauthorized_client: this client is not allowed the ID-JAG exchange at all.
        if (!mayRequestIdJag(client)) {
          throw new ExchangeRefusal(
            new UnauthorizedClientError('this client may not request ID-JAGs'),
            'client_not_allowed',
          );
        }
        const parameters = readTokenExchangeParameters(params);
        requestedResource = parameters.resource;
        // One clock reading for the whole decision: the ID token's times, the sign-in's age and the ID-JAG's iat.
        const nowMs = now();
        const subject = await resolveExchangeSubject(settled, parameters, client.clientId, nowMs);
        subjectId = subject.user.id;
        const { resource, rasClientId } = resolveExchangeTarget(settled, parameters, client);

        const nowSeconds = Math.floor(nowMs / 1000);
        const requestedScopes = parameters.scopes;
        const decision = settled.policy({ client, subject, resource, requestedScopes, now: nowSeconds });
        const explanation = {
          audience: parameters.audience,
          requestedScopes: requestedScopes ?? null,
          matchedRules: decision.matchedRules.map((rule) => rule.id),
          droppedScopes: decision.droppedScopes,
          explanation: decision.explanation,
        };
        const refusal = policyRefusal(decision, acrValues);
        if (refusal !== undefined) throw new ExchangeRefusal(refusal, `policy_${decision.decision}`, explanation);

        const idJag = await issueIdJag(
          {
            issuer,
            user: subject.user,
            resource,
            rasClientId,
            grantedScopes: decision.grantedScopes,
            authTime: subject.authTime,
            amr: subject.amr,
            sessionId: subject.sessionId,
            acr: subject.acr,
            jti: newJti(),
            jkt: dpop?.jkt,
            now: nowSeconds,
            ttlSeconds,
          },
          settled.signer(),
        );
        // Group commit with the other requests of this event-loop turn; the ID-JAG leaves only after the record of
        // its issuance is committed (a failed commit becomes server_error and the ID-JAG is never sent).
        await audit.recordCommitted({
          type: ID_JAG_EXCHANGE_AUDIT_TYPE,
          outcome: 'allow',
          reason: 'policy_allow',
          subject: subject.user.id,
          clientId: client.clientId,
          resource: resource.resource,
          jti: idJag.claims.jti,
          details: {
            ...explanation,
            rasClientId,
            grantedScopes: decision.grantedScopes,
            subjectTokenId: subject.subjectTokenId,
            ...(dpop === undefined ? {} : { jkt: dpop.jkt }),
          },
        });
        // RFC 8693 §2.2.1 / ID-JAG §4.3.2: the ID-JAG travels in access_token, token_type N_A, never a refresh token.
        return {
          issued_token_type: TOKEN_TYPE_ID_JAG,
          access_token: idJag.token,
          token_type: TOKEN_TYPE_NOT_APPLICABLE,
          expires_in: ttlSeconds,
          ...(idJag.claims.scope === undefined ? {} : { scope: idJag.claims.scope }),
        };
      } catch (error) {
        if (!(error instanceof ExchangeRefusal)) throw error;
        // Group commit: answered only once this record is committed (a failed commit becomes server_error).
        await audit.recordCommitted({
          type: ID_JAG_EXCHANGE_AUDIT_TYPE,
          outcome: 'deny',
          reason: error.reason,
          clientId: client.clientId,
          ...(subjectId === undefined ? {} : { subject: subjectId }),
          ...(requestedResource === undefined ? {} : { resource: requestedResource }),
          details: { error: error.oauthError.error, ...error.details },
        });
        throw markAudited(error.oauthError);
      }
    },
  };
}
