import { describe, expect, it } from 'vitest';
import { acrForMethods } from '../src/acr-values.js';

describe('acrForMethods', () => {
  it('[IDP-IDJAG-4.3.3-STEP-UP-ACR] names a set of methods as one acr value: sorted, unique, joined with +', () => {
    expect(acrForMethods(['mfa'])).toBe('mfa');
    expect(acrForMethods(['pwd', 'hwk', 'pwd'])).toBe('hwk+pwd');
    expect(acrForMethods(['hwk', 'pwd'])).toBe(acrForMethods(['pwd', 'hwk']));
  });
});
