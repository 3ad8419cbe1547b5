import type { RegisteredClient } from '../../client-auth/registered-client.js';
import type { OAuthError } from '../../errors/oauth-error.js';
import {
  InsufficientUserAuthenticationError,
  InvalidScopeError,
  InvalidTargetError,
} from '../../errors/token-errors.js';
import type { ExchangeResource } from './exchange-target.js';
import type { ExchangeSubject, ExchangeUser } from './subject-token.js';

/** What the policy is asked at step 5: may this user, through this client, reach this resource with these scopes? */
export interface ExchangePolicyRequest<C extends RegisteredClient, U extends ExchangeUser, R extends ExchangeResource> {
  readonly client: C;
  /** The user and the authentication context (`auth_time`, `amr`) of the sign-in behind the subject token. */
  readonly subject: ExchangeSubject<U>;
  readonly resource: R;
  /** The requested scopes; `undefined` (no `scope` parameter) asks for every scope the resource offers. */
  readonly requestedScopes: readonly string[] | undefined;
  /** Current time, seconds since the epoch. */
  readonly now: number;
}

/**
 * The policy's answer, in the shape `@ema/policy`'s `PolicyEvaluation` has (any evaluator may produce it). The
 * decision maps one to one onto the profile's outcomes; the rest is written to the audit log.
 */
export interface ExchangePolicyDecision {
  readonly decision: 'allow' | 'deny' | 'no_scopes_granted' | 'step_up_required';
  /** The scopes the ID-JAG carries (when `allow`): the requested ones policy grants, never more. */
  readonly grantedScopes: readonly string[];
  /** When `step_up_required`: the sign-in's maximum age and the `amr` values a new sign-in must have. */
  readonly stepUp?: { readonly maxAgeSeconds?: number; readonly requiredAmr?: readonly string[] };
  /** Audit: the rules that matched. */
  readonly matchedRules: readonly { readonly id: string }[];
  /** Audit: the requested scopes not granted, and why. */
  readonly droppedScopes: readonly { readonly scope: string; readonly reason: string; readonly ruleId?: string }[];
  /** Audit: the reasoning, one sentence per line. */
  readonly explanation: readonly string[];
}

/**
 * Step 5 of the profile's IdP checks: the OAuth error for a policy decision other than `allow` (ID-JAG §4.3.3):
 * deny -> `invalid_target`, nothing granted -> `invalid_scope`, sign-in too old or too weak ->
 * `insufficient_user_authentication` with `max_age` and/or `acr_values` hints (RFC 9470 §3). Returns undefined
 * for `allow`. `acrValues` names a set of methods in the IdP's ACR vocabulary; without it no `acr_values` is hinted.
 */
export function policyRefusal(
  decision: ExchangePolicyDecision,
  acrValues?: (methods: readonly string[]) => string | undefined,
): OAuthError | undefined {
  switch (decision.decision) {
    case 'allow':
      return undefined;
    case 'deny':
      return new InvalidTargetError('not granted by organization policy');
    case 'no_scopes_granted':
      return new InvalidScopeError('none of the requested scopes is granted by organization policy');
    case 'step_up_required': {
      const missing = decision.stepUp?.requiredAmr;
      const description =
        missing === undefined
          ? 'a more recent sign-in is required'
          : `a stronger sign-in is required (authentication methods: ${missing.join(' ')})`;
      const maxAge = decision.stepUp?.maxAgeSeconds;
      const acr = missing === undefined ? undefined : acrValues?.(missing);
      // ID-JAG §4.3.3 (step-up, after RFC 9470 §3) / the profile: `max_age` when the sign-in is too old,
      // `acr_values` when it lacks a required authentication method, both when a rule asks for both.
      return new InsufficientUserAuthenticationError(description, {
        ...(maxAge === undefined ? {} : { maxAge }),
        ...(acr === undefined ? {} : { acrValues: acr }),
      });
    }
  }
}
