import { describe, expect, it } from 'vitest';
import { formatScope, parseScope } from '../src/index.js';

describe('parseScope', () => {
  it('[RFC6749-3.3-SCOPE] splits on single spaces, drops empties and duplicates', () => {
    expect(parseScope('a  b a')).toEqual(['a', 'b']);
    expect(parseScope(undefined)).toEqual([]);
    expect(formatScope(['a', 'b'])).toBe('a b');
  });
});
