import { describe, expect, it } from 'vitest';
import { generateClientSecret, hashClientSecret, verifyClientSecret } from '../../src/index.js';

describe('client secrets', () => {
  it('[KIT-RFC6819-5.1.4.1.3-HASHED-SECRETS] stores a secret as a sha256 hash, never in clear', () => {
    const secret = generateClientSecret();
    const hash = hashClientSecret(secret);
    expect(hash).toMatch(/^sha256:[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain(secret);
    expect(verifyClientSecret(secret, hash)).toBe(true);
  });

  it('refuses a wrong secret and a malformed hash', () => {
    const hash = hashClientSecret('right');
    expect(verifyClientSecret('wrong', hash)).toBe(false);
    expect(verifyClientSecret('right', 'plain:right')).toBe(false);
    expect(verifyClientSecret('right', 'sha256:short')).toBe(false);
  });

  it('generates 32-byte base64url secrets, different each time', () => {
    const a = generateClientSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(generateClientSecret());
  });
});
