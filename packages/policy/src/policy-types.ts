/**
 * An admin policy rule: who (a user or a group), through which client, may reach which resource with which scopes,
 * under which authentication conditions.
 */
export interface PolicyRule {
  readonly id: string;
  /** Said in the explanation ("Rule engineering-rw "Engineering may read and write tickets" matched"). */
  readonly description: string;
  /** Deny rules win over allow rules. */
  readonly effect: 'allow' | 'deny';
  readonly subjectType: 'user' | 'group';
  /** A username (subjectType `user`) or a group name (subjectType `group`). */
  readonly subject: string;
  /** Restricts the rule to one client; null means any client. */
  readonly clientId: string | null;
  /** The {@link PolicyResource.id} of the resource the rule is about. */
  readonly resourceId: string;
  /** Allow: the scopes granted. Deny: the scopes refused; empty means the whole resource. */
  readonly scopes: string[];
  /** Allow rules only: the sign-in must be at most this old, in seconds (OIDC `max_age`). */
  readonly maxAuthAgeSeconds: number | null;
  /** Allow rules only: every listed `amr` value (RFC 8176) must be present in the sign-in. */
  readonly requiredAmr: string[] | null;
}

/** A protected resource (an MCP server) as policy sees it. */
export interface PolicyResource {
  /** The id rules name in {@link PolicyRule.resourceId}. */
  readonly id: string;
  /** Said in the explanation. */
  readonly name: string;
  /** The resource identifier (RFC 8707 / RFC 9728 `resource`), said in the explanation. */
  readonly resource: string;
  /** Every scope the resource offers; a requested scope outside it is dropped. */
  readonly scopes: readonly string[];
}

/** The user behind the request: a rule names the username or one of the groups. */
export interface PolicyUser {
  readonly id: string;
  readonly username: string;
  readonly groups: readonly string[];
}

/** What the policy engine is asked: may this user, through this client, reach this resource with these scopes? */
export interface PolicyRequest {
  readonly user: PolicyUser;
  readonly clientId: string;
  readonly resource: PolicyResource;
  /** The requested scopes; `undefined` (no `scope` parameter) asks for every scope the resource offers. */
  readonly requestedScopes: readonly string[] | undefined;
  /** The authentication context of the sign-in behind the subject token. */
  readonly authentication: { readonly authTime: number; readonly amr: readonly string[] };
  /** The rules to apply (those about this resource; others are ignored). */
  readonly rules: readonly PolicyRule[];
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
  /** The rule's scopes (the same array as {@link PolicyRule.scopes}). */
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

/** Hints for a step-up sign-in (the `max_age` of OIDC Core §3.1.2.1 and the `amr` values a rule requires). */
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
