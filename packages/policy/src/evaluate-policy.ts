import { AMR_MULTI_FACTOR, IDP_ONLY_SCOPES } from '@ema/protocol';
import type {
  DroppedScope,
  MatchedRule,
  PolicyEvaluation,
  PolicyRequest,
  PolicyRule,
  StepUpHint,
} from './policy-types.js';

/**
 * Evaluates admin policy for one token-exchange request (ID-JAG §4.3.3, step 5). Pure: no I/O, no clock.
 *
 * Semantics: a rule applies when its resource, subject (the user, or a group the user belongs to) and client (or
 * any client) match. Deny rules win: a matching deny rule without scopes refuses the resource, one with scopes
 * removes those scopes. Allow rules grant the union of their scopes, but only when their authentication conditions
 * (maximum sign-in age, required `amr`) hold. No matching allow rule means deny (default deny). A requested scope
 * that only a rule with failed conditions would grant requires a step-up sign-in.
 */
export function evaluatePolicy(request: PolicyRequest): PolicyEvaluation {
  const { resource, user } = request;
  const explanation: string[] = [describeRequest(request)];
  const matched = request.rules.filter((rule) => ruleMatches(rule, request));
  const matchedRules: MatchedRule[] = matched.map((rule) => describeMatch(rule, request));
  for (const match of matchedRules) explanation.push(describeMatchedRule(match));

  const blockingDeny = matchedRules.find((rule) => rule.effect === 'deny' && rule.scopes.length === 0);
  if (blockingDeny !== undefined) {
    explanation.push(`Denied: rule ${blockingDeny.id} refuses ${user.username} all access to ${resource.name}.`);
    return { decision: 'deny', grantedScopes: [], droppedScopes: [], matchedRules, explanation };
  }
  const allowRules = matchedRules.filter((rule) => rule.effect === 'allow');
  if (allowRules.length === 0) {
    explanation.push(`Denied: no allow rule gives ${user.username} access to ${resource.name} through this client.`);
    return { decision: 'deny', grantedScopes: [], droppedScopes: [], matchedRules, explanation };
  }

  const granted: string[] = [];
  const dropped: DroppedScope[] = [];
  const pendingStepUp: MatchedRule[] = [];
  for (const scope of request.requestedScopes ?? resource.scopes) {
    const outcome = decideScope(scope, request, matchedRules);
    if (outcome.kind === 'granted') granted.push(scope);
    else if (outcome.kind === 'step_up') {
      dropped.push({ scope, reason: 'authentication_insufficient', ruleId: outcome.rule.id });
      pendingStepUp.push(outcome.rule);
    } else dropped.push(outcome.dropped);
  }
  for (const drop of dropped) explanation.push(describeDrop(drop));

  if (pendingStepUp.length > 0) {
    const stepUp = stepUpHint(pendingStepUp, matched, request.authentication, request.now);
    explanation.push('Step-up required: a fresher or stronger sign-in would grant the scopes marked above.');
    return {
      decision: 'step_up_required',
      grantedScopes: [],
      droppedScopes: dropped,
      matchedRules,
      stepUp,
      explanation,
    };
  }
  if (granted.length === 0) {
    explanation.push('No requested scope is granted.');
    return { decision: 'no_scopes_granted', grantedScopes: [], droppedScopes: dropped, matchedRules, explanation };
  }
  explanation.push(`Allowed with scopes: ${granted.join(' ')}.`);
  return { decision: 'allow', grantedScopes: granted, droppedScopes: dropped, matchedRules, explanation };
}

type ScopeOutcome =
  | { kind: 'granted' }
  | { kind: 'step_up'; rule: MatchedRule }
  | { kind: 'dropped'; dropped: DroppedScope };

function decideScope(scope: string, request: PolicyRequest, rules: readonly MatchedRule[]): ScopeOutcome {
  // EMA §7: the IdP's own sign-in scopes never pass to a resource.
  if (IDP_ONLY_SCOPES.includes(scope)) return { kind: 'dropped', dropped: { scope, reason: 'idp_only_scope' } };
  if (!request.resource.scopes.includes(scope)) {
    return { kind: 'dropped', dropped: { scope, reason: 'not_offered_by_resource' } };
  }
  const deny = rules.find((rule) => rule.effect === 'deny' && rule.scopes.includes(scope));
  if (deny !== undefined) return { kind: 'dropped', dropped: { scope, reason: 'denied_by_rule', ruleId: deny.id } };
  const granting = rules.filter((rule) => rule.effect === 'allow' && rule.scopes.includes(scope));
  if (granting.some((rule) => rule.outcome === 'applied')) return { kind: 'granted' };
  const conditional = granting[0];
  if (conditional !== undefined) return { kind: 'step_up', rule: conditional };
  return { kind: 'dropped', dropped: { scope, reason: 'not_granted_by_any_rule' } };
}

function ruleMatches(rule: PolicyRule, request: PolicyRequest): boolean {
  if (rule.resourceId !== request.resource.id) return false;
  if (rule.clientId !== null && rule.clientId !== request.clientId) return false;
  return rule.subjectType === 'user'
    ? rule.subject === request.user.username
    : request.user.groups.includes(rule.subject);
}

function describeMatch(rule: PolicyRule, request: PolicyRequest): MatchedRule {
  const unmet: string[] = [];
  if (rule.effect === 'allow') {
    const age = request.now - request.authentication.authTime;
    if (rule.maxAuthAgeSeconds !== null && age > rule.maxAuthAgeSeconds) {
      unmet.push(`sign-in is ${age} s old, the rule allows at most ${rule.maxAuthAgeSeconds} s`);
    }
    const missing = (rule.requiredAmr ?? []).filter((method) => !request.authentication.amr.includes(method));
    if (missing.includes(AMR_MULTI_FACTOR)) unmet.push('the rule requires a second factor (amr mfa)');
    const others = missing.filter((method) => method !== AMR_MULTI_FACTOR);
    if (others.length > 0) unmet.push(`sign-in lacks authentication method(s) ${others.join(', ')}`);
  }
  return {
    id: rule.id,
    description: rule.description,
    effect: rule.effect,
    scopes: rule.scopes,
    outcome: unmet.length === 0 ? 'applied' : 'conditions_not_met',
    unmetConditions: unmet,
  };
}

function stepUpHint(
  pending: readonly MatchedRule[],
  rules: readonly PolicyRule[],
  { authTime, amr: amrNow }: PolicyRequest['authentication'],
  now: number,
): StepUpHint {
  const sources = rules.filter((rule) => pending.some((match) => match.id === rule.id));
  const ages = sources.flatMap((rule) => (rule.maxAuthAgeSeconds === null ? [] : [rule.maxAuthAgeSeconds]));
  // A rule whose method condition failed asks for its methods. So does one failing on sign-in age that requires
  // methods: `max_age` makes the IdP sign the user in afresh (OIDC Core §3.1.2.1), and that new sign-in must use
  // them again, or the next exchange would fail on methods after succeeding on age. A rule failing on age alone,
  // with no methods, asks for none. Full sets are named: the next sign-in must use all of a rule's methods.
  const signInTooOld = (rule: PolicyRule) => rule.maxAuthAgeSeconds !== null && now - authTime > rule.maxAuthAgeSeconds;
  const weak = sources.filter(
    (rule) => signInTooOld(rule) || (rule.requiredAmr ?? []).some((method) => !amrNow.includes(method)),
  );
  const amr = [...new Set(weak.flatMap((rule) => rule.requiredAmr ?? []))];
  return {
    ...(ages.length > 0 ? { maxAgeSeconds: Math.min(...ages) } : {}),
    ...(amr.length > 0 ? { requiredAmr: amr } : {}),
  };
}

function describeRequest(request: PolicyRequest): string {
  const groups = request.user.groups.length > 0 ? request.user.groups.join(', ') : 'none';
  const scopes =
    request.requestedScopes === undefined
      ? `no scope named (asking for all: ${request.resource.scopes.join(' ')})`
      : `scopes ${request.requestedScopes.join(' ') || '(none)'}`;
  return `Request: ${request.user.username} (groups: ${groups}) via client ${request.clientId} to ${request.resource.name} (${request.resource.resource}), ${scopes}.`;
}

function describeMatchedRule(rule: MatchedRule): string {
  const scopes = rule.scopes.length > 0 ? rule.scopes.join(' ') : 'the whole resource';
  const verb = rule.effect === 'allow' ? 'grants' : 'denies';
  const base = `Rule ${rule.id} "${rule.description}" matched (${rule.effect}): ${verb} ${scopes}`;
  return rule.outcome === 'applied'
    ? `${base}.`
    : `${base}, but its conditions are not met: ${rule.unmetConditions.join('; ')}.`;
}

function describeDrop(drop: DroppedScope): string {
  switch (drop.reason) {
    case 'idp_only_scope':
      return `Dropped ${drop.scope}: it is a sign-in scope of the IdP and never passes to a resource.`;
    case 'not_offered_by_resource':
      return `Dropped ${drop.scope}: the resource does not offer it.`;
    case 'denied_by_rule':
      return `Dropped ${drop.scope}: denied by rule ${drop.ruleId ?? ''}.`;
    case 'not_granted_by_any_rule':
      return `Dropped ${drop.scope}: no matching allow rule grants it.`;
    case 'authentication_insufficient':
      return `Withheld ${drop.scope}: rule ${drop.ruleId ?? ''} grants it only after a fresher or stronger sign-in.`;
  }
}
