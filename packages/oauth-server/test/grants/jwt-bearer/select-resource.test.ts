import { describe, expect, it } from 'vitest';
import { RedemptionRefusal } from '../../../src/grants/jwt-bearer/refusal.js';
import { grantedResources, selectResource } from '../../../src/grants/jwt-bearer/select-resource.js';

const resourceScopes = ['tickets.read', 'tickets.write'];

describe('selectResource (ID-JAG §4.4.1 step 8)', () => {
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
        return error instanceof RedemptionRefusal ? [error.error, error.reason, error.description] : error;
      }
      return undefined;
    };
    expect(refusal(() => selectResource([], undefined, served))).toEqual([
      'invalid_target',
      'ERR_RESOURCE_MISSING',
      'the assertion names no resource',
    ]);
    expect(refusal(() => selectResource(['https://served/a', 'https://served/b'], undefined, served))).toEqual([
      'invalid_target',
      'ERR_RESOURCE_AMBIGUOUS',
      'the resource parameter is required',
    ]);
    expect(refusal(() => selectResource(['https://served/a'], 'https://served/b', served))).toEqual([
      'invalid_target',
      'ERR_RESOURCE_NOT_GRANTED',
      'resource not granted by the assertion',
    ]);
    expect(refusal(() => selectResource(['https://other'], undefined, served))).toEqual([
      'invalid_target',
      'ERR_RESOURCE_NOT_SERVED',
      'unknown resource',
    ]);
    expect(refusal(() => selectResource(['https://served/none'], undefined, served))).toEqual([
      'invalid_target',
      'ERR_CLIENT_NOT_ALLOWED_AT_RESOURCE',
      'client not allowed at this resource',
    ]);
  });

  it('[RAS-IDJAG-4.4.1-RESOURCE] reads the resource claim as a list, and refuses a list with anything but strings', () => {
    // As a verified ID-JAG's claims would arrive, parsed from JSON.
    const claims = (resource: unknown) => JSON.parse(JSON.stringify({ resource }));
    expect(grantedResources(claims(undefined))).toEqual([]);
    expect(grantedResources(claims('https://served/a'))).toEqual(['https://served/a']);
    expect(grantedResources(claims(['https://served/a', 'https://served/b']))).toEqual([
      'https://served/a',
      'https://served/b',
    ]);
    let refusal: unknown;
    try {
      grantedResources(claims(['https://served/a', 42]));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toMatchObject({ error: 'invalid_grant', reason: 'ERR_JWT_CLAIM_INVALID' });
  });
});
