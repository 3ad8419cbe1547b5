import { describe, expect, it } from 'vitest';
import { formatBearerChallenge } from '../src/www-authenticate.js';

describe('formatBearerChallenge', () => {
  it('writes the parameters in a fixed order', () => {
    expect(
      formatBearerChallenge({
        scope: 'a b',
        resourceMetadata: 'https://rs.example/.well-known/oauth-protected-resource/mcp',
        errorDescription: 'why',
        error: 'invalid_token',
      }),
    ).toBe(
      'Bearer error="invalid_token", error_description="why", resource_metadata="https://rs.example/.well-known/oauth-protected-resource/mcp", scope="a b"',
    );
  });

  it('escapes quotes and backslashes (RFC 9110 §5.6.4)', () => {
    expect(formatBearerChallenge({ resourceMetadata: 'x', scope: 'y', errorDescription: 'say "hi" \\o/' })).toBe(
      'Bearer error_description="say \\"hi\\" \\\\o/", resource_metadata="x", scope="y"',
    );
  });

  it('refuses a value no quoted-string can carry, rather than split the header', () => {
    for (const scope of ['a\r\nSet-Cookie: x=1', 'a\u0000', 'caf\u20ac']) {
      expect(() => formatBearerChallenge({ resourceMetadata: 'x', scope })).toThrow(TypeError);
    }
    expect(formatBearerChallenge({ resourceMetadata: 'x', scope: 'a\tb' })).toBe(
      'Bearer resource_metadata="x", scope="a\tb"',
    );
  });
});
