/**
 * `@ema/policy`: the IdP's admin policy engine for ID-JAG issuance (ID-JAG §4.3.3, step 5 of the profile's IdP
 * checks). Pure functions over the user, the client, the resource, the rules and the authentication context of the
 * sign-in: no I/O, no clock, no web framework, no database.
 */
export { type AcrClass, acrValuesFor } from './acr-values.js';
export { evaluatePolicy } from './evaluate-policy.js';
export { type GrantsLostOptions, grantsLost, type LostGrant, type PolicySnapshot } from './grants-lost.js';
export type {
  DroppedScope,
  DroppedScopeReason,
  MatchedRule,
  PolicyDecision,
  PolicyEvaluation,
  PolicyRequest,
  PolicyResource,
  PolicyRule,
  PolicyUser,
  StepUpHint,
} from './policy-types.js';
