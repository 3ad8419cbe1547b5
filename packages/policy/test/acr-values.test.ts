import { describe, expect, it } from 'vitest';
import { type AcrClass, acrValuesFor } from '../src/acr-values.js';

const classes: AcrClass[] = [
  { acr: 'urn:example:acr:pwd', guarantees: [] },
  { acr: 'urn:example:acr:mfa', guarantees: ['mfa', 'user'] },
  { acr: 'urn:example:acr:hwk', guarantees: ['mfa', 'user', 'hwk'] },
];

describe('acrValuesFor', () => {
  it('[IDP-IDJAG-4.3.3-STEP-UP-ACR] names every class that guarantees all the methods, in the vocabulary order', () => {
    expect(acrValuesFor(['mfa'], classes)).toBe('urn:example:acr:mfa urn:example:acr:hwk');
    expect(acrValuesFor(['hwk', 'mfa', 'hwk'], classes)).toBe('urn:example:acr:hwk');
  });

  it('[IDP-IDJAG-4.3.3-STEP-UP-ACR] has no answer for methods no class guarantees, nor for no methods', () => {
    expect(acrValuesFor(['pwd'], classes)).toBeUndefined();
    expect(acrValuesFor(['mfa', 'otp'], classes)).toBeUndefined();
    expect(acrValuesFor([], classes)).toBeUndefined();
  });
});
