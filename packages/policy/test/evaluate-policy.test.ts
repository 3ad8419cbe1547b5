import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../src/evaluate-policy.js';
import type { PolicyRequest, PolicyResource, PolicyRule } from '../src/policy-types.js';

const NOW = 1_800_000_000;
const tickets: PolicyResource = {
  id: 'acme-tickets',
  name: 'Acme Tickets',
  resource: 'http://localhost:3300/mcp',
  scopes: ['tickets.read', 'tickets.write'],
};

function rule(overrides: Partial<PolicyRule> & Pick<PolicyRule, 'id'>): PolicyRule {
  return {
    description: overrides.id,
    effect: 'allow',
    subjectType: 'group',
    subject: 'engineering',
    clientId: null,
    resourceId: tickets.id,
    scopes: ['tickets.read', 'tickets.write'],
    maxAuthAgeSeconds: null,
    requiredAmr: null,
    ...overrides,
  };
}

const demoRules: PolicyRule[] = [
  rule({ id: 'engineering-rw', subject: 'engineering' }),
  rule({ id: 'sales-r', subject: 'sales', scopes: ['tickets.read'] }),
  rule({ id: 'contractors-deny', effect: 'deny', subject: 'contractors', scopes: [] }),
];

function request(overrides: Partial<PolicyRequest> = {}): PolicyRequest {
  return {
    user: { id: 'usr_alice', username: 'alice', groups: ['engineering'] },
    clientId: 'agent-host',
    resource: tickets,
    requestedScopes: ['tickets.read', 'tickets.write'],
    authentication: { authTime: NOW - 60, amr: ['pwd'] },
    rules: demoRules,
    now: NOW,
    ...overrides,
  };
}

const bob = { id: 'usr_bob', username: 'bob', groups: ['sales'] };
const carol = { id: 'usr_carol', username: 'carol', groups: ['contractors'] };

describe('evaluatePolicy', () => {
  it('[IDP-POLICY-GROUPS] grants a group member the scopes of the group rule', () => {
    const result = evaluatePolicy(request());
    expect(result.decision).toBe('allow');
    expect(result.grantedScopes).toEqual(['tickets.read', 'tickets.write']);
    expect(result.droppedScopes).toEqual([]);
    expect(result.matchedRules.map((match) => match.id)).toEqual(['engineering-rw']);
    expect(result.explanation.at(-1)).toBe('Allowed with scopes: tickets.read tickets.write.');
  });

  it('[IDP-EMA-POLICY-NARROW] narrows to the granted scopes and explains each dropped one', () => {
    const result = evaluatePolicy(request({ user: bob }));
    expect(result.decision).toBe('allow');
    expect(result.grantedScopes).toEqual(['tickets.read']);
    expect(result.droppedScopes).toEqual([{ scope: 'tickets.write', reason: 'not_granted_by_any_rule' }]);
    expect(result.explanation).toContain('Dropped tickets.write: no matching allow rule grants it.');
  });

  it('[IDP-EMA-POLICY-NO-SCOPE] answers no_scopes_granted when nothing requested is granted', () => {
    const result = evaluatePolicy(request({ user: bob, requestedScopes: ['tickets.write'] }));
    expect(result.decision).toBe('no_scopes_granted');
    expect(result.grantedScopes).toEqual([]);
  });

  it('asks for every offered scope when no scope is named', () => {
    const result = evaluatePolicy(request({ user: bob, requestedScopes: undefined }));
    expect(result.grantedScopes).toEqual(['tickets.read']);
  });

  it('drops scopes the resource does not offer and the IdP-only sign-in scopes', () => {
    const result = evaluatePolicy(request({ requestedScopes: ['openid', 'offline_access', 'tickets.read', 'x'] }));
    expect(result.grantedScopes).toEqual(['tickets.read']);
    expect(result.droppedScopes).toEqual([
      { scope: 'openid', reason: 'idp_only_scope' },
      { scope: 'offline_access', reason: 'idp_only_scope' },
      { scope: 'x', reason: 'not_offered_by_resource' },
    ]);
  });

  it('[IDP-POLICY-DENY-WINS] a matching deny rule wins over an allow rule for the same user', () => {
    const rules = [
      ...demoRules,
      rule({ id: 'alice-deny', effect: 'deny', subjectType: 'user', subject: 'alice', scopes: [] }),
    ];
    const result = evaluatePolicy(request({ rules }));
    expect(result.decision).toBe('deny');
    expect(result.matchedRules.map((match) => [match.id, match.effect])).toEqual([
      ['engineering-rw', 'allow'],
      ['alice-deny', 'deny'],
    ]);
    expect(result.explanation.at(-1)).toBe('Denied: rule alice-deny refuses alice all access to Acme Tickets.');
  });

  it('[IDP-POLICY-DENY-WINS] a deny rule with scopes removes only those scopes', () => {
    const rules = [
      ...demoRules,
      rule({ id: 'no-write', effect: 'deny', subject: 'engineering', scopes: ['tickets.write'] }),
    ];
    const result = evaluatePolicy(request({ rules }));
    expect(result.decision).toBe('allow');
    expect(result.grantedScopes).toEqual(['tickets.read']);
    expect(result.droppedScopes).toEqual([{ scope: 'tickets.write', reason: 'denied_by_rule', ruleId: 'no-write' }]);
  });

  it('[IDP-POLICY-DENY-WINS] denies a member of a denied group (carol)', () => {
    const result = evaluatePolicy(request({ user: carol }));
    expect(result.decision).toBe('deny');
    expect(result.matchedRules.map((match) => match.id)).toEqual(['contractors-deny']);
  });

  it('denies by default when no allow rule matches', () => {
    const result = evaluatePolicy(request({ user: { id: 'usr_x', username: 'x', groups: [] } }));
    expect(result.decision).toBe('deny');
    expect(result.matchedRules).toEqual([]);
    expect(result.explanation.at(-1)).toBe('Denied: no allow rule gives x access to Acme Tickets through this client.');
  });

  it('[IDP-POLICY-USERS] matches a rule naming the user directly', () => {
    const rules = [rule({ id: 'dave-r', subjectType: 'user', subject: 'dave', scopes: ['tickets.read'] })];
    const dave = { id: 'usr_dave', username: 'dave', groups: [] };
    expect(evaluatePolicy(request({ user: dave, rules })).grantedScopes).toEqual(['tickets.read']);
    expect(evaluatePolicy(request({ rules })).decision).toBe('deny');
  });

  it('[IDP-POLICY-CLIENT] applies a rule restricted to a client only to that client', () => {
    const rules = [rule({ id: 'only-agent-host', clientId: 'agent-host' })];
    expect(evaluatePolicy(request({ rules })).decision).toBe('allow');
    expect(evaluatePolicy(request({ rules, clientId: 'other-client' })).decision).toBe('deny');
  });

  it('ignores rules about other resources', () => {
    const rules = [rule({ id: 'other', resourceId: 'other-resource' })];
    expect(evaluatePolicy(request({ rules })).decision).toBe('deny');
  });

  it('[IDP-POLICY-AUTH-AGE] requires a step-up when the sign-in is older than the rule allows', () => {
    const rules = [rule({ id: 'fresh-only', maxAuthAgeSeconds: 300 })];
    const stale = evaluatePolicy(request({ rules, authentication: { authTime: NOW - 301, amr: ['pwd'] } }));
    expect(stale.decision).toBe('step_up_required');
    expect(stale.stepUp).toEqual({ maxAgeSeconds: 300 });
    expect(stale.matchedRules[0]?.unmetConditions).toEqual(['sign-in is 301 s old, the rule allows at most 300 s']);
    const fresh = evaluatePolicy(request({ rules, authentication: { authTime: NOW - 300, amr: ['pwd'] } }));
    expect(fresh.decision).toBe('allow');
  });

  it('[IDP-POLICY-AMR] requires a step-up when the sign-in lacks a required authentication method', () => {
    const rules = [rule({ id: 'mfa-only', requiredAmr: ['mfa'] })];
    const weak = evaluatePolicy(request({ rules }));
    expect(weak.decision).toBe('step_up_required');
    expect(weak.stepUp).toEqual({ requiredAmr: ['mfa'] });
    const strong = evaluatePolicy(request({ rules, authentication: { authTime: NOW, amr: ['pwd', 'mfa'] } }));
    expect(strong.decision).toBe('allow');
  });

  it('[IDP-IDJAG-4.3.3-STEP-UP-ACR] hints the methods of a rule that failed on them, or on age: the new sign-in must use them', () => {
    const rules = [rule({ id: 'fresh-mfa', maxAuthAgeSeconds: 300, requiredAmr: ['mfa'] })];
    const stale = evaluatePolicy(request({ rules, authentication: { authTime: NOW - 301, amr: ['pwd', 'mfa'] } }));
    expect(stale.stepUp).toEqual({ maxAgeSeconds: 300, requiredAmr: ['mfa'] });
    const weak = evaluatePolicy(request({ rules, authentication: { authTime: NOW, amr: ['pwd'] } }));
    expect(weak.stepUp).toEqual({ maxAgeSeconds: 300, requiredAmr: ['mfa'] });
    expect(weak.matchedRules[0]?.unmetConditions).toEqual(['the rule requires a second factor (amr mfa)']);
    const ageOnly = [rule({ id: 'fresh', maxAuthAgeSeconds: 300 })];
    const old = evaluatePolicy(request({ rules: ageOnly, authentication: { authTime: NOW - 301, amr: ['pwd'] } }));
    expect(old.stepUp).toEqual({ maxAgeSeconds: 300 });
  });

  it('[IDP-POLICY-AUTH-AGE] grants from an unconditional rule even when a conditional one fails', () => {
    const rules = [
      rule({ id: 'read-any', scopes: ['tickets.read'] }),
      rule({ id: 'write-fresh', scopes: ['tickets.write'], maxAuthAgeSeconds: 60 }),
    ];
    const old = { authTime: NOW - 3600, amr: ['pwd'] };
    expect(
      evaluatePolicy(request({ rules, authentication: old, requestedScopes: ['tickets.read'] })).grantedScopes,
    ).toEqual(['tickets.read']);
    const both = evaluatePolicy(request({ rules, authentication: old }));
    expect(both.decision).toBe('step_up_required');
    expect(both.droppedScopes).toEqual([
      { scope: 'tickets.write', reason: 'authentication_insufficient', ruleId: 'write-fresh' },
    ]);
  });

  it('unions the scopes of several matching allow rules', () => {
    const rules = [
      rule({ id: 'r', subjectType: 'user', subject: 'bob', scopes: ['tickets.read'] }),
      rule({ id: 'w', subject: 'sales', scopes: ['tickets.write'] }),
    ];
    expect(evaluatePolicy(request({ user: bob, rules })).grantedScopes).toEqual(['tickets.read', 'tickets.write']);
  });
});
