import { describe, expect, it } from 'vitest';
import { ConfigError, readEnvBoolean, readEnvInteger, readEnvList, readEnvString } from '../../src/runtime.js';

describe('readEnvString', () => {
  it('treats unset and empty as undefined', () => {
    expect(readEnvString({ A: 'x' }, 'A')).toBe('x');
    expect(readEnvString({ A: '' }, 'A')).toBeUndefined();
    expect(readEnvString({}, 'A')).toBeUndefined();
  });
});

describe('readEnvInteger', () => {
  it('reads decimal digits', () => {
    expect(readEnvInteger({ PORT: '3200' }, 'PORT')).toBe(3200);
    expect(readEnvInteger({ PORT: '0' }, 'PORT')).toBe(0);
    expect(readEnvInteger({ PORT: '' }, 'PORT')).toBeUndefined();
  });

  it.each(['eighty', '-1', '1.5', '1e3', ' 80', '0x50', '+80'])(
    'refuses %j with a ConfigError naming the variable',
    (value) => {
      expect(() => readEnvInteger({ PORT: value }, 'PORT')).toThrow(ConfigError);
      expect(() => readEnvInteger({ PORT: value }, 'PORT')).toThrow(/^PORT: must be a non-negative integer$/);
    },
  );
});

describe('readEnvBoolean', () => {
  it('reads true/1 and false/0 only', () => {
    expect(readEnvBoolean({ B: 'true' }, 'B')).toBe(true);
    expect(readEnvBoolean({ B: '1' }, 'B')).toBe(true);
    expect(readEnvBoolean({ B: 'false' }, 'B')).toBe(false);
    expect(readEnvBoolean({ B: '0' }, 'B')).toBe(false);
    expect(readEnvBoolean({}, 'B')).toBeUndefined();
  });

  it.each(['yes', 'TRUE', 'off', '2'])('refuses %j with a ConfigError naming the variable', (value) => {
    expect(() => readEnvBoolean({ B: value }, 'B')).toThrow(/^B: must be true or false$/);
  });
});

describe('readEnvList', () => {
  it('splits on commas and white space and drops empty items', () => {
    expect(readEnvList({ L: 'a, b  c,,d' }, 'L')).toEqual(['a', 'b', 'c', 'd']);
    expect(readEnvList({ L: '' }, 'L')).toBeUndefined();
  });
});
