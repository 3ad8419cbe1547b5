import { IdJagClaims } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { ID_JAG_CLAIMS } from '../../../src/index.js';

describe('ID_JAG_CLAIMS', () => {
  it('[RAS-IDJAG-CLAIM-TABLE] decides every claim of the ID-JAG schema, and nothing else', () => {
    expect(Object.keys(ID_JAG_CLAIMS).sort()).toEqual(Object.keys(IdJagClaims.properties).sort());
  });

  it('[RAS-IDJAG-CLAIM-TABLE] gives every refused claim its own audit reason', () => {
    const refused = Object.values(ID_JAG_CLAIMS).filter((rule) => rule.handling === 'refused');
    expect(refused.length).toBeGreaterThan(0);
    const reasons = refused.map((rule) => rule.refusal);
    expect(reasons.every((reason) => typeof reason === 'string')).toBe(true);
    expect(new Set(reasons).size).toBe(reasons.length);
  });
});
