import { describe, expect, it } from 'vitest';
import { grantScopes } from '../../../src/grants/jwt-bearer/grant-scopes.js';
import { RedemptionRefusal } from '../../../src/grants/jwt-bearer/refusal.js';

const resourceScopes = ['tickets.read', 'tickets.write'];

describe('grantScopes (ID-JAG §4.4.1 step 9)', () => {
  it('[RAS-IDJAG-4.4.1-SCOPE-INTERSECTION] intersects ID-JAG, request and client scopes, in ID-JAG order', () => {
    expect(grantScopes('tickets.write tickets.read', undefined, resourceScopes, resourceScopes)).toEqual([
      'tickets.write',
      'tickets.read',
    ]);
    expect(grantScopes('tickets.write tickets.read', 'tickets.read', resourceScopes, resourceScopes)).toEqual([
      'tickets.read',
    ]);
    expect(grantScopes('tickets.write tickets.read', undefined, resourceScopes, ['tickets.read'])).toEqual([
      'tickets.read',
    ]);
    // A client grant naming a scope the resource no longer defines does not resurrect it.
    expect(grantScopes('tickets.read old.scope', undefined, resourceScopes, ['tickets.read', 'old.scope'])).toEqual([
      'tickets.read',
    ]);
  });

  it('[RAS-EMA-7-NO-IDP-SCOPES] drops openid and offline_access even when everyone lists them', () => {
    const everything = ['openid', 'offline_access', 'tickets.read'];
    expect(
      grantScopes('openid offline_access tickets.read', 'openid offline_access tickets.read', everything, everything),
    ).toEqual(['tickets.read']);
  });

  it('[RAS-IDJAG-4.4.1-NO-SCOPE-INVALID-SCOPE] refuses with invalid_scope when nothing is left', () => {
    expect(() => grantScopes(undefined, undefined, resourceScopes, resourceScopes)).toThrow(RedemptionRefusal);
    expect(() => grantScopes('openid', undefined, resourceScopes, resourceScopes)).toThrow(
      expect.objectContaining({
        error: 'invalid_scope',
        reason: 'ERR_NO_GRANTABLE_SCOPE',
        description: 'no grantable scope',
      }),
    );
  });
});
