import { describe, expect, it } from 'vitest';
import { grantsLost, type PolicySnapshot } from '../src/index.js';
import type { PolicyResource, PolicyRule, PolicyUser } from '../src/policy-types.js';

const NOW = 1_800_000_000;
const tickets: PolicyResource = {
  id: 'acme-tickets',
  name: 'Acme Tickets',
  resource: 'http://localhost:3300/mcp',
  scopes: ['tickets.read', 'tickets.write'],
};
const wiki: PolicyResource = { id: 'wiki', name: 'Wiki', resource: 'http://localhost:3400/mcp', scopes: ['wiki.read'] };

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

const alice: PolicyUser = { id: 'usr_alice', username: 'alice', groups: ['engineering'] };
const bob: PolicyUser = { id: 'usr_bob', username: 'bob', groups: ['sales'] };
const rules = [
  rule({ id: 'engineering-rw' }),
  rule({ id: 'sales-r', subject: 'sales', scopes: ['tickets.read'] }),
  rule({ id: 'engineering-wiki', resourceId: wiki.id, scopes: ['wiki.read'] }),
];
const before: PolicySnapshot = { users: [alice, bob], resources: [tickets, wiki], rules };
const options = { clientIds: ['agent-host'], now: NOW };

describe('grantsLost', () => {
  it('[IDP-POLICY-CHANGE-LOSS] removing a rule takes its scopes from exactly the users it granted them to', () => {
    const after = { ...before, rules: rules.filter((candidate) => candidate.id !== 'sales-r') };
    expect(grantsLost(before, after, options)).toEqual([
      { userId: 'usr_bob', resourceId: tickets.id, scopes: ['tickets.read'] },
    ]);
  });

  it('[IDP-POLICY-CHANGE-LOSS] narrowing a rule, a deny rule, and an unchanged policy', () => {
    const narrowed = rules.map((candidate) =>
      candidate.id === 'engineering-rw' ? { ...candidate, scopes: ['tickets.read'] } : candidate,
    );
    expect(grantsLost(before, { ...before, rules: narrowed }, options)).toEqual([
      { userId: 'usr_alice', resourceId: tickets.id, scopes: ['tickets.write'] },
    ]);
    const denied = [
      ...rules,
      rule({
        id: 'alice-no-wiki',
        effect: 'deny',
        subjectType: 'user',
        subject: 'alice',
        resourceId: wiki.id,
        scopes: [],
      }),
    ];
    expect(grantsLost(before, { ...before, rules: denied }, options)).toEqual([
      { userId: 'usr_alice', resourceId: wiki.id, scopes: ['wiki.read'] },
    ]);
    expect(grantsLost(before, before, options)).toEqual([]);
  });

  it('[IDP-POLICY-CHANGE-LOSS] leaving a group or the deletion of a resource is a loss; gaining is not', () => {
    const aliceLeaves = { ...before, users: [{ ...alice, groups: [] }, bob] };
    expect(grantsLost(before, aliceLeaves, options)).toEqual([
      { userId: 'usr_alice', resourceId: tickets.id, scopes: ['tickets.read', 'tickets.write'] },
      { userId: 'usr_alice', resourceId: wiki.id, scopes: ['wiki.read'] },
    ]);
    expect(grantsLost(aliceLeaves, before, options)).toEqual([]);
    const noWiki = {
      ...before,
      resources: [tickets],
      rules: rules.filter((candidate) => candidate.resourceId !== wiki.id),
    };
    expect(grantsLost(before, noWiki, options)).toEqual([
      { userId: 'usr_alice', resourceId: wiki.id, scopes: ['wiki.read'] },
    ]);
  });

  it('[IDP-POLICY-CHANGE-LOSS] a new authentication requirement is a loss for sign-ins without it', () => {
    const passkeyOnly = rules.map((candidate) =>
      candidate.id === 'engineering-rw' ? { ...candidate, requiredAmr: ['hwk'] } : candidate,
    );
    expect(grantsLost(before, { ...before, rules: passkeyOnly }, options)).toEqual([
      { userId: 'usr_alice', resourceId: tickets.id, scopes: ['tickets.read', 'tickets.write'] },
    ]);
    // Removing a rule that only strong sign-ins satisfied is a loss too.
    const strongWrite = [
      ...rules.filter((c) => c.id !== 'engineering-rw'),
      rule({ id: 'r', scopes: ['tickets.read'] }),
      rule({ id: 'w', scopes: ['tickets.write'], requiredAmr: ['hwk'] }),
    ];
    const withoutStrong = strongWrite.filter((candidate) => candidate.id !== 'w');
    expect(grantsLost({ ...before, rules: strongWrite }, { ...before, rules: withoutStrong }, options)).toEqual([
      { userId: 'usr_alice', resourceId: tickets.id, scopes: ['tickets.write'] },
    ]);
  });

  it('[IDP-POLICY-CHANGE-LOSS] a rule for one client: the loss through that client counts; filters narrow the work', () => {
    const viaOther = rules.map((candidate) =>
      candidate.id === 'sales-r' ? { ...candidate, clientId: 'other-agent' } : candidate,
    );
    expect(
      grantsLost(before, { ...before, rules: viaOther }, { ...options, clientIds: ['agent-host', 'other-agent'] }),
    ).toEqual([{ userId: 'usr_bob', resourceId: tickets.id, scopes: ['tickets.read'] }]);
    const after = { ...before, rules: [] };
    expect(grantsLost(before, after, { ...options, userIds: ['usr_bob'] }).map((loss) => loss.userId)).toEqual([
      'usr_bob',
    ]);
    expect(grantsLost(before, after, { ...options, resourceIds: [wiki.id] }).map((loss) => loss.resourceId)).toEqual([
      wiki.id,
    ]);
  });
});
