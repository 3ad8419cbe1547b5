import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { describe, expect, it } from 'vitest';
import { AccessTokenPrincipal } from '../src/access-token-principal.js';
import { principal, RESOURCE } from './support/tokens.js';

describe('AccessTokenPrincipal', () => {
  it('[MCP-AUTH-NO-TOKEN-PASSTHROUGH] hands the MCP SDK an AuthInfo with the verified identity, never the token value', () => {
    const caller = principal({ scope: 'tickets.read' });
    // Typed as the SDK's own AuthInfo: the structural match is checked by the compiler.
    const authInfo: AuthInfo = caller.toAuthInfo(RESOURCE);
    expect(authInfo).toStrictEqual({
      token: '',
      clientId: 'acme-agent-host',
      scopes: ['tickets.read'],
      expiresAt: caller.expiresAt,
      resource: new URL(RESOURCE),
      extra: { accessToken: caller },
    });
    expect(AccessTokenPrincipal.fromAuthInfo(authInfo)).toBe(caller);
  });

  it('finds no principal in auth info it did not make', () => {
    expect(AccessTokenPrincipal.fromAuthInfo(undefined)).toBeUndefined();
    expect(AccessTokenPrincipal.fromAuthInfo({ extra: { accessToken: { subject: 'alice' } } })).toBeUndefined();
  });

  it('names the missing scopes in the order asked, and binds sessions to (iss, sub, client_id)', () => {
    const caller = principal({ scope: 'b' });
    expect(caller.missingScopes(['c', 'b', 'a'])).toStrictEqual(['c', 'a']);
    expect(caller.isOwnedBy(caller.owner())).toBe(true);
    expect(caller.isOwnedBy({ ...caller.owner(), clientId: 'other' })).toBe(false);
    expect(principal({ sub: 'bob' }).isOwnedBy(caller.owner())).toBe(false);
  });
});
