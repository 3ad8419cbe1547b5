import { describe, expect, it } from 'vitest';
import { generateId, generateTimeOrderedId } from '../../src/tokens/opaque-token.js';

describe('identifiers', () => {
  it('generateId: a prefix and 12 random bytes, never repeated', () => {
    const ids = Array.from({ length: 1000 }, () => generateId('sid'));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^sid_[A-Za-z0-9_-]{16}$/);
  });

  it('generateTimeOrderedId: sorts by creation time as a string, and is as unique as generateId', () => {
    const times = [0, 1, 35, 36, 1_700_000_000_000, 1_800_000_000_123, 4_000_000_000_000];
    const ids = times.map((time) => generateTimeOrderedId('jag', time));
    // Byte order (SQLite's BINARY collation, a B-tree key) is time order.
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^jag_[0-9a-z]{9}[A-Za-z0-9_-]{16}$/);
    const sameMillisecond = Array.from({ length: 1000 }, () => generateTimeOrderedId('jag', 1_800_000_000_000));
    expect(new Set(sameMillisecond).size).toBe(sameMillisecond.length);
  });
});
