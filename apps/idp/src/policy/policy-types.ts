import type { PolicyRule, ProtectedResource } from '../storage/directory-types.js';

/** What the policy engine is asked: may this user, through this client, reach this resource with these scopes? */
export interface PolicyRequest {
  readonly user: { readonly id: string; readonly username: string; readonly groups: string[] };
  readonly clientId: string;
  readonly resource: ProtectedResource;
  /** The requested scopes; `undefined` (no `scope` parameter) asks for every scope the resource offers. */
  readonly requestedScopes: string[] | undefined;
  /** The authentication context of the sign-in behind the subject token. */
  readonly authentication: { readonly authTime: number; readonly amr: string[] };
  /** The rules to apply (those about this resource; others are ignored). */
  readonly rules: PolicyRule[];
  /** Current time, seconds since the epoch. */
  readonly now: number;
}

/** Why a requested scope was not granted. */
export type DroppedScopeReason =
  | 'idp_only_scope'
  | 'not_offered_by_resource'
  | 'denied_by_rule'
  | 'not_granted_by_any_rule'
  | 'authentication_insufficient';

/** A requested scope that was not granted, and why. */
export interface DroppedScope {
  readonly scope: string;
  readonly reason: DroppedScopeReason;
  /** The rule responsible, when one is. */
  readonly ruleId?: string;
}

/** A rule whose subject, client and resource matched the request. */
export interface MatchedRule {
  readonly id: string;
  readonly description: string;
  readonly effect: 'allow' | 'deny';
  readonly scopes: string[];
  /** `applied`, or `conditions_not_met` for an allow rule whose authentication conditions failed. */
  readonly outcome: 'applied' | 'conditions_not_met';
  /** The failed conditions, in words. */
  readonly unmetConditions: string[];
}

/**
 * The decision, mapped one to one onto the profile's outcomes (ID-JAG §4.3.3): `allow` mints, `deny` is
 * `invalid_target`, `no_scopes_granted` is `invalid_scope`, `step_up_required` is `insufficient_user_authentication`.
 */
export type PolicyDecision = 'allow' | 'deny' | 'no_scopes_granted' | 'step_up_required';

/** Hints for a step-up sign-in (the `max_age` of OIDC Core §3.1.2.1 and the missing `amr` values). */
export interface StepUpHint {
  readonly maxAgeSeconds?: number;
  readonly requiredAmr?: string[];
}

/** The policy engine's answer: the decision and its explanation. */
export interface PolicyEvaluation {
  readonly decision: PolicyDecision;
  readonly grantedScopes: string[];
  readonly droppedScopes: DroppedScope[];
  readonly matchedRules: MatchedRule[];
  /** Present when `decision` is `step_up_required`. */
  readonly stepUp?: StepUpHint;
  /** The reasoning, one sentence per line, for the audit log and the admin "what if" page. */
  readonly explanation: string[];
}
