import {
  InsufficientUserAuthenticationError,
  InvalidScopeError,
  InvalidTargetError,
  type OAuthError,
} from '@ema/oauth-server';
import { acrForMethods } from './acr-values.js';
import type { PolicyEvaluation } from './policy-types.js';

/**
 * Step 5 of the profile's IdP checks: the OAuth error for a policy decision other than `allow` (ID-JAG §4.3.3):
 * deny -> `invalid_target`, nothing granted -> `invalid_scope`, sign-in too old or too weak ->
 * `insufficient_user_authentication` with `max_age` and/or `acr_values` hints (RFC 9470 §3). Returns undefined
 * for `allow`.
 */
export function policyRefusal(evaluation: PolicyEvaluation): OAuthError | undefined {
  switch (evaluation.decision) {
    case 'allow':
      return undefined;
    case 'deny':
      return new InvalidTargetError('not granted by organization policy');
    case 'no_scopes_granted':
      return new InvalidScopeError('none of the requested scopes is granted by organization policy');
    case 'step_up_required': {
      const missing = evaluation.stepUp?.requiredAmr;
      const description =
        missing === undefined
          ? 'a more recent sign-in is required'
          : `a stronger sign-in is required (authentication methods: ${missing.join(' ')})`;
      const maxAge = evaluation.stepUp?.maxAgeSeconds;
      // ID-JAG §4.3.3 (step-up, after RFC 9470 §3) / the profile: `max_age` when the sign-in is too old,
      // `acr_values` when it lacks a required authentication method, both when a rule asks for both.
      return new InsufficientUserAuthenticationError(description, {
        ...(maxAge === undefined ? {} : { maxAge }),
        ...(missing === undefined ? {} : { acrValues: acrForMethods(missing) }),
      });
    }
  }
}
