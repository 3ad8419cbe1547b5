import { GRANT_TYPE_JWT_BEARER } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { TokenResponseError } from '../../src/ema/errors.js';
import { withMcpClient } from '../../src/ema/mcp-session.js';
import { EmaOAuthClientProvider } from '../../src/ema/oauth-client-provider.js';
import { fakeWorldPerTest } from '../support/ema-fixture.js';

const setUp = fakeWorldPerTest();

describe('the OAuthClientProvider handed to the MCP SDK', () => {
  it('[AGENT-RFC7523-REQUEST] prepares the jwt-bearer grant with the resource itself, not relying on the SDK', async () => {
    const { world, ema, user } = await setUp();
    const provider = new EmaOAuthClientProvider(ema.authorization(user, world.mcpUrl));
    await provider.discoveryState();
    const params = await provider.prepareTokenRequest();
    expect(params.get('grant_type')).toBe(GRANT_TYPE_JWT_BEARER);
    expect(params.get('assertion')).toBe('idjag-1');
    expect(params.get('resource')).toBe(world.mcpUrl);
  });

  it('[AGENT-RFC6749-5.1-EXPIRES-IN] refuses an access token response whose expires_in is not a positive number', async () => {
    for (const expiresIn of [-5, 0]) {
      const { world, ema, user } = await setUp({ rasTokenResponse: { expires_in: expiresIn } });
      const failure = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools()).catch(
        (caught: unknown) => caught,
      );
      expect(failure).toBeInstanceOf(TokenResponseError);
      expect(ema.cache.last(user.key, world.mcpUrl)).toBeUndefined();
      await world.close();
    }
  });
});
