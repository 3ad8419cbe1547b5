/**
 * The jwt-bearer grant (RFC 7523 §2.1) as ID-JAG §4.4 profiles it: the token endpoint pipeline has authenticated
 * the client (step 1); this module reads the parameters and hands them to the redemption logic.
 */
import { type AccessTokenResponse, GRANT_TYPE_JWT_BEARER, TOKEN_TYPE_BEARER, TOKEN_TYPE_DPOP } from '@ema/protocol';
import type { RegisteredClient } from '../../client-auth/registered-client.js';
import type { OAuthError } from '../../errors/oauth-error.js';
import {
  InvalidAuthorizationDetailsError,
  InvalidClientError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidScopeError,
  InvalidTargetError,
} from '../../errors/token-errors.js';
import { markAudited } from '../../token-endpoint/audited-refusal.js';
import type { GrantModule } from '../../token-endpoint/grant-module.js';
import type { IdJagRedemption, RedemptionResult } from './redeem-id-jag.js';
import { RedemptionRefusal } from './refusal.js';
import { parseRequestedAuthorizationDetails } from './requested-authorization-details.js';

/** Options of {@link jwtBearerGrant}. */
export interface JwtBearerGrantOptions {
  /** The redemption, from {@link createIdJagRedemption}. */
  redeem: IdJagRedemption;
}

/** The `urn:ietf:params:oauth:grant-type:jwt-bearer` grant module for `handleTokenRequest`'s `grants`. */
export function jwtBearerGrant<C extends RegisteredClient = RegisteredClient>(
  options: JwtBearerGrantOptions,
): GrantModule<C, AccessTokenResponse> {
  return {
    grantType: GRANT_TYPE_JWT_BEARER,
    async handler({ params, client, dpop }) {
      // ID-JAG §4.4.1 step 1: public clients are refused (the pipeline already refuses them; kept as a guard).
      if (client.secretHash === null) throw new InvalidClientError('public clients cannot redeem ID-JAGs');
      const assertion = params.get('assertion');
      // RFC 7521 §4.1: the assertion parameter is required.
      if (assertion === undefined) throw new InvalidRequestError('assertion is required');
      // RFC 9396 §6.2: a client may ask for less than the ID-JAG's authorization details (never more).
      const authorizationDetails = parseRequestedAuthorizationDetails(params.get('authorization_details'));
      let result: RedemptionResult;
      try {
        result = await options.redeem({
          assertion,
          clientId: client.clientId,
          scope: params.get('scope'),
          resource: params.get('resource'),
          authorizationDetails,
          dpopJkt: dpop?.jkt,
        });
      } catch (error) {
        if (!(error instanceof RedemptionRefusal)) throw error;
        // The redemption audited the refusal with its precise reason; the token endpoint's hook must not again.
        throw markAudited(toOAuthError(error));
      }
      // RFC 6749 §5.1; the profile: an access token, its lifetime and the granted scope, no refresh token. RFC 9449
      // §5: a token bound to the proof's key is of type DPoP. RFC 9396 §7 and ID-JAG §4.4.1: the granted
      // authorization details, when there are any.
      return {
        access_token: result.accessToken,
        token_type: result.jkt === undefined ? TOKEN_TYPE_BEARER : TOKEN_TYPE_DPOP,
        expires_in: result.expiresIn,
        scope: result.scope,
        ...(result.authorizationDetails === undefined ? {} : { authorization_details: result.authorizationDetails }),
      };
    },
  };
}

function toOAuthError(refusal: RedemptionRefusal): OAuthError {
  switch (refusal.error) {
    // ID-JAG §4.4.1: one identical body for every assertion failure, no error_description (no oracle).
    case 'invalid_grant':
      return new InvalidGrantError();
    case 'invalid_target':
      return new InvalidTargetError(refusal.description);
    case 'invalid_scope':
      return new InvalidScopeError(refusal.description);
    case 'invalid_authorization_details':
      return new InvalidAuthorizationDetailsError(refusal.description);
  }
}
