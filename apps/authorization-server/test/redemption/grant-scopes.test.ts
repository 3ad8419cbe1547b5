import { describe, expect, it } from 'vitest';
import { grantScopes } from '../../src/redemption/grant-scopes.js';
import { RedemptionRefusal } from '../../src/redemption/refusal.js';
import { selectResource } from '../../src/redemption/select-resource.js';

const resourceScopes = ['tickets.read', 'tickets.write'];

describe('scope and resource decisions', () => {
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
    try {
      grantScopes('openid', undefined, resourceScopes, resourceScopes);
    } catch (error) {
      expect(error).toMatchObject({ error: 'invalid_scope', reason: 'ERR_NO_GRANTABLE_SCOPE' });
    }
  });

  it('[RAS-IDJAG-4.4.1-RESOURCE] selects the one served resource and refuses ambiguity, absence and strangers', () => {
    const served = (resource: string) =>
      resource.startsWith('https://served')
        ? { resource, resourceScopes, clientScopes: resource.endsWith('/none') ? undefined : resourceScopes }
        : undefined;
    expect(selectResource(['https://other', 'https://served/a'], undefined, served).resource).toBe('https://served/a');
    expect(selectResource(['https://served/a', 'https://served/b'], 'https://served/b', served).resource).toBe(
      'https://served/b',
    );
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof RedemptionRefusal ? [error.error, error.reason] : error;
      }
      return undefined;
    };
    expect(refusal(() => selectResource([], undefined, served))).toEqual(['invalid_target', 'ERR_RESOURCE_MISSING']);
    expect(refusal(() => selectResource(['https://served/a', 'https://served/b'], undefined, served))).toEqual([
      'invalid_target',
      'ERR_RESOURCE_AMBIGUOUS',
    ]);
    expect(refusal(() => selectResource(['https://served/a'], 'https://served/b', served))).toEqual([
      'invalid_target',
      'ERR_RESOURCE_NOT_GRANTED',
    ]);
    expect(refusal(() => selectResource(['https://other'], undefined, served))).toEqual([
      'invalid_target',
      'ERR_RESOURCE_NOT_SERVED',
    ]);
    expect(refusal(() => selectResource(['https://served/none'], undefined, served))).toEqual([
      'invalid_target',
      'ERR_CLIENT_NOT_ALLOWED_AT_RESOURCE',
    ]);
  });
});
