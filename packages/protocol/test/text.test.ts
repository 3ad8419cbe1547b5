import { describe, expect, it } from 'vitest';
import { hasControlCharacter, NO_CONTROL_CHARACTERS_PATTERN } from '../src/index.js';

describe('control characters in free text', () => {
  it('[STORAGE-UNSTORABLE-TEXT-400] finds C0 controls and DEL, and nothing else; the pattern agrees', () => {
    const pattern = new RegExp(NO_CONTROL_CHARACTERS_PATTERN, 'u');
    for (const text of ['a\u0000', '\u001f', 'tab\there', 'line\n', 'del\u007f']) {
      expect(hasControlCharacter(text), JSON.stringify(text)).toBe(true);
      expect(pattern.test(text), JSON.stringify(text)).toBe(false);
    }
    for (const text of ['', ' ', '~', 'Zoë', '\u0080', 'café ☕', 'https://agent.example/cb?x=1']) {
      expect(hasControlCharacter(text), JSON.stringify(text)).toBe(false);
      expect(pattern.test(text), JSON.stringify(text)).toBe(true);
    }
  });
});
