import { describe, expect, it } from 'vitest';
import { createMemoryConsumedJtis } from '../../src/memory/consumed-jtis.js';

const NOW = 1_800_000_000;
const entry = (jti: string, exp: number, iss = 'https://idp.example') => ({ iss, jti, exp, clientId: 'c' });

describe('createMemoryConsumedJtis', () => {
  it('[RAS-RFC7523-3-JTI-SINGLE-USE] consumes an (iss, jti) pair once; the same jti of another issuer is distinct', () => {
    const jtis = createMemoryConsumedJtis(30);
    expect(jtis.consume(entry('j', NOW + 60), NOW * 1000)).toBe(true);
    expect(jtis.consume(entry('j', NOW + 60), NOW * 1000)).toBe(false);
    expect(jtis.consume(entry('j', NOW + 60, 'https://other.example'), NOW * 1000)).toBe(true);
  });

  it('[RAS-RFC7523-3-JTI-PURGE-SAFE] forgets a jti only once its ID-JAG is past exp plus the clock tolerance', () => {
    const jtis = createMemoryConsumedJtis(30);
    jtis.consume(entry('live', NOW + 600), NOW * 1000);
    jtis.consume(entry('at-edge', NOW + 30), NOW * 1000);
    jtis.consume(entry('dead', NOW + 29), NOW * 1000);
    expect(jtis.size()).toBe(3);
    // A minute later the next sweep runs; its horizon is NOW + 30 (now - tolerance), where verification itself
    // starts refusing an ID-JAG as expired (exp <= now - tolerance).
    expect(jtis.consume(entry('trigger', NOW + 600), (NOW + 60) * 1000)).toBe(true);
    expect(jtis.size()).toBe(3);
    expect(jtis.consume(entry('at-edge', NOW + 30), (NOW + 60) * 1000)).toBe(false);
    expect(jtis.consume(entry('live', NOW + 600), (NOW + 60) * 1000)).toBe(false);
    expect(jtis.consume(entry('dead', NOW + 29), (NOW + 60) * 1000)).toBe(true);
  });
});
