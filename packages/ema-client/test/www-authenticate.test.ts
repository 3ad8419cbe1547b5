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
    // RFC 9470 §3: the step-up hints; a max_age that is not a number is ignored.
    expect(
      parseBearerChallenge(
        'Bearer error="insufficient_user_authentication", acr_values="urn:a urn:b", max_age="300", scope="a"',
      ),
    ).toEqual({ error: 'insufficient_user_authentication', acrValues: 'urn:a urn:b', maxAge: 300, scope: 'a' });
    expect(parseBearerChallenge('Bearer error="insufficient_user_authentication", max_age="soon"')).toEqual({
      error: 'insufficient_user_authentication',
    });
    expect(parseBearerChallenge('bearer resource_metadata=https://x/m')).toEqual({ resourceMetadata: 'https://x/m' });
  });
});
