import { describe, expect, it } from 'vitest';
import { parseBearerChallenge } from '../src/www-authenticate.js';

describe('WWW-Authenticate', () => {
  it('[AGENT-RFC9728-RESOURCE-METADATA] reads resource_metadata, scope and error of a Bearer challenge', () => {
    expect(
      parseBearerChallenge(
        'Bearer error="insufficient_scope", scope="a b", resource_metadata="https://x/.well-known/oauth-protected-resource/mcp"',
      ),
    ).toEqual({
      error: 'insufficient_scope',
      scope: 'a b',
      resourceMetadata: 'https://x/.well-known/oauth-protected-resource/mcp',
    });
    expect(parseBearerChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseBearerChallenge('bearer resource_metadata=https://x/m')).toEqual({ resourceMetadata: 'https://x/m' });
  });
});
