import { describe, expect, it } from 'vitest';
import { RedemptionRefusal } from '../../../src/grants/jwt-bearer/refusal.js';
import { selectResource } from '../../../src/grants/jwt-bearer/select-resource.js';

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
