import { describe, expect, it } from 'vitest';
import { findScopeShortfall, scopeShortfall, type ToolScopes } from '../src/scope-shortfall.js';
import { principal } from './support/tokens.js';

const TICKETS: ToolScopes = {
  scopesSupported: ['tickets.read', 'tickets.write'],
  tools: {
    whoami: [],
    list_tickets: ['tickets.read'],
    get_ticket: ['tickets.read'],
    create_ticket: ['tickets.write'],
    update_ticket: ['tickets.write'],
  },
};

function call(name: unknown): object {
  return { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name } };
}

describe('findScopeShortfall', () => {
  it('ignores other methods, unknown tools and tools the token may call', () => {
    const token = principal({ scope: 'tickets.read' });
    expect(findScopeShortfall({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, token, TICKETS)).toBeUndefined();
    expect(findScopeShortfall(call('nope'), token, TICKETS)).toBeUndefined();
    expect(findScopeShortfall(call('get_ticket'), token, TICKETS)).toBeUndefined();
    expect(findScopeShortfall(call('whoami'), principal({ scope: undefined }), TICKETS)).toBeUndefined();
    expect(findScopeShortfall('garbage', token, TICKETS)).toBeUndefined();
    expect(findScopeShortfall({ method: 'tools/call', params: null }, token, TICKETS)).toBeUndefined();
    expect(findScopeShortfall(call(42), token, TICKETS)).toBeUndefined();
  });

  it('looks a tool up among the table’s own entries only', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(findScopeShortfall(call(name), principal({ scope: undefined }), TICKETS)).toBeUndefined();
    }
  });

  it('[MCP-AUTH-403-INSUFFICIENT-SCOPE] collects every tool of a batch that needs a scope the token lacks', () => {
    const shortfall = findScopeShortfall(
      [call('update_ticket'), call('list_tickets'), call('create_ticket'), call('whoami')],
      principal({ scope: undefined }),
      TICKETS,
    );
    expect(shortfall).toStrictEqual({
      operations: ['update_ticket', 'list_tickets', 'create_ticket'],
      missing: ['tickets.read', 'tickets.write'],
      challengeScope: ['tickets.read', 'tickets.write'],
    });
  });

  it('[MCP-AUTH-403-INSUFFICIENT-SCOPE] keeps granted scopes of this resource in the challenge, drops foreign ones', () => {
    const shortfall = findScopeShortfall(call('list_tickets'), principal({ scope: 'tickets.write email' }), TICKETS);
    expect(shortfall).toStrictEqual({
      operations: ['list_tickets'],
      missing: ['tickets.read'],
      challengeScope: ['tickets.read', 'tickets.write'],
    });
  });
});

describe('scopeShortfall', () => {
  it('checks any operation, and still names a needed scope that scopes_supported forgot', () => {
    const token = principal({ scope: 'a' });
    expect(scopeShortfall(token, [{ operation: 'read', scopes: ['a'] }], ['a', 'b'])).toBeUndefined();
    expect(
      scopeShortfall(
        token,
        [
          { operation: 'export', scopes: ['z', 'b'] },
          { operation: 'read', scopes: ['a'] },
        ],
        ['a', 'b'],
      ),
    ).toStrictEqual({ operations: ['export'], missing: ['b', 'z'], challengeScope: ['a', 'b', 'z'] });
  });
});
