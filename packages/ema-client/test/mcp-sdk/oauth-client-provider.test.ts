import { GRANT_TYPE_JWT_BEARER, GRANT_TYPE_TOKEN_EXCHANGE } from '@ema/protocol';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import {
  DiscoveryError,
  InsufficientScopeError,
  InteractiveAuthorizationNotAllowedError,
  PolicyDenialError,
  UnknownAuthorizationServerError,
} from '../../src/errors.js';
import { EmaOAuthClientProvider } from '../../src/mcp-sdk/oauth-client-provider.js';
import type { ServerAuthorization } from '../../src/server-authorization.js';
import { fakeWorldPerTest } from '../support/ema-fixture.js';
import type { FakeWorldOptions } from '../support/fake-world.js';
import { jtiOf } from '../support/id-jag.js';

const setUp = fakeWorldPerTest();

/** The fake RAS as the SDK's `OAuthMetadata` accepts it: with an authorization endpoint and its response type. */
function sdkReady(options: FakeWorldOptions = {}): FakeWorldOptions {
  return {
    ...options,
    rasMetadata: (issuer) => ({ response_types_supported: ['code'], ...options.rasMetadata?.(issuer) }),
  };
}

/** Connects the SDK's `Client` with the provider (and its fetch), runs `operation`, closes. */
async function withProvider<T>(
  authorization: ServerAuthorization,
  operation: (client: Client) => Promise<T>,
): Promise<T> {
  const provider = new EmaOAuthClientProvider(authorization);
  const transport = new StreamableHTTPClientTransport(new URL(authorization.serverUrl), {
    authProvider: provider,
    fetch: provider.fetch,
  });
  const client = new Client({ name: 'sdk-provider-test', version: '1.0.0' });
  try {
    await client.connect(transport);
    return await operation(client);
  } finally {
    await client.close();
  }
}

describe('EmaOAuthClientProvider: EMA as the MCP SDK OAuthClientProvider', () => {
  it("[AGENT-SDK-PROVIDER] lets the SDK's auth() answer the 401: token exchange at the IdP, jwt-bearer at the RAS", async () => {
    const { world, ema, user } = await setUp(sdkReady());
    const tools = await withProvider(ema.authorization(user, world.mcpUrl), async (client) => {
      await client.callTool({ name: 'whoami' });
      return (await client.listTools()).tools.map((tool) => tool.name);
    });
    expect(tools).toEqual(['whoami', 'create_ticket']);
    expect(world.exchanges.map((e) => e.params.get('grant_type'))).toEqual([GRANT_TYPE_TOKEN_EXCHANGE]);
    expect(world.exchanges[0]?.params.get('audience')).toBe(world.rasIssuer);
    expect(world.grants).toHaveLength(1);
    const grant = world.grants[0];
    expect(grant?.params.get('grant_type')).toBe(GRANT_TYPE_JWT_BEARER);
    expect(jtiOf(grant?.params.get('assertion'))).toBe('idjag-1');
    expect(grant?.params.get('resource')).toBe(world.mcpUrl);
    expect(grant?.params.get('scope')).toBe('tickets.read tickets.write');
    expect(grant?.authorization).toMatch(/^Basic /);
    expect(grant?.params.has('client_secret')).toBe(false);
    // The token is the client's: cached for the user, presented on every later call.
    expect(ema.cache.last(user.key, world.mcpUrl)?.accessToken).toBe('at-2');
    expect(new Set(world.mcpCalls.slice(1).map((call) => call.token))).toEqual(new Set(['at-2']));
    expect(world.authorizeHits).toBe(0);
  });

  it('[AGENT-SDK-PROVIDER] reuses the cached token in the next action, with no new exchange', async () => {
    const { world, ema, user } = await setUp(sdkReady());
    await withProvider(ema.authorization(user, world.mcpUrl), (client) => client.listTools());
    await withProvider(ema.authorization(user, world.mcpUrl), (client) => client.callTool({ name: 'whoami' }));
    expect(world.exchanges).toHaveLength(1);
    expect(world.mcpCalls.filter((call) => call.status === 401)).toHaveLength(1);
  });

  it('[AGENT-SDK-PROVIDER] up-scopes once on 403 insufficient_scope, asking for the union the challenge names', async () => {
    const { world, ema, user } = await setUp(
      sdkReady({ challengeScope: 'tickets.read', toolScopes: { create_ticket: ['tickets.write'] } }),
    );
    const result = await withProvider(ema.authorization(user, world.mcpUrl), (client) =>
      client.callTool({ name: 'create_ticket', arguments: { title: 'Printer' } }),
    );
    expect(result.content).toEqual([{ type: 'text', text: 'created Printer' }]);
    expect(world.exchanges.map((e) => e.params.get('scope'))).toEqual(['tickets.read', 'tickets.read tickets.write']);
    expect(world.grants).toHaveLength(2);
  });

  it('[AGENT-SDK-PROVIDER] reports insufficient scope when the organization does not widen it', async () => {
    const { world, ema, user } = await setUp(
      sdkReady({
        toolScopes: { create_ticket: ['tickets.write'] },
        idpPolicy: (requested) => ({ grant: requested.filter((scope) => scope === 'tickets.read') }),
      }),
    );
    const failure = await withProvider(ema.authorization(user, world.mcpUrl), (client) =>
      client.callTool({ name: 'create_ticket', arguments: { title: 'Printer' } }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InsufficientScopeError);
    expect(world.grants).toHaveLength(1);
  });

  it('[AGENT-SDK-PROVIDER-NO-FALLBACK] shows a policy denial as such; never redirects, registers or asks for a verifier', async () => {
    const { world, ema, user } = await setUp(sdkReady({ idpPolicy: () => ({ error: 'invalid_target' }) }));
    const failure = await withProvider(ema.authorization(user, world.mcpUrl), (client) => client.listTools()).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(PolicyDenialError);
    expect(world.authorizeHits).toBe(0);
    expect(world.grants).toHaveLength(0);
    expect(world.requests.filter((request) => /register|authorize/.test(request))).toEqual([]);

    const provider = new EmaOAuthClientProvider(ema.authorization(user, world.mcpUrl));
    expect(provider.redirectUrl).toBeUndefined();
    expect(() => provider.redirectToAuthorization()).toThrow(InteractiveAuthorizationNotAllowedError);
    expect(() => provider.saveCodeVerifier()).toThrow(InteractiveAuthorizationNotAllowedError);
    expect(() => provider.codeVerifier()).toThrow(InteractiveAuthorizationNotAllowedError);
    expect(provider.clientMetadata).toEqual({
      client_name: 'ema-agent-host',
      redirect_uris: [],
      grant_types: [GRANT_TYPE_JWT_BEARER],
    });
  });

  it("[AGENT-SDK-PROVIDER-CHECKED-DISCOVERY] hands the SDK only its own checked discovery: a RAS naming another issuer is refused before auth()'s first request", async () => {
    const { world, ema, user } = await setUp(sdkReady({ rasMetadata: () => ({ issuer: 'http://127.0.0.1:9/ras' }) }));
    const failure = await withProvider(ema.authorization(user, world.mcpUrl), (client) => client.listTools()).catch(
      (error: unknown) => error,
    );
    expect((failure as DiscoveryError).code).toBe('ERR_DISCOVERY_ISSUER_MISMATCH');
    expect(world.exchanges).toHaveLength(0);
    expect(world.grants).toHaveLength(0);
  });

  it('[AGENT-SDK-PROVIDER-CHECKED-DISCOVERY] refuses a RAS whose metadata the SDK cannot type (no authorization_endpoint), asking nothing of the IdP', async () => {
    const { world, ema, user } = await setUp({ rasMetadata: () => ({ authorization_endpoint: undefined }) });
    const failure = await withProvider(ema.authorization(user, world.mcpUrl), (client) => client.listTools()).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DiscoveryError);
    expect((failure as DiscoveryError).code).toBe('ERR_DISCOVERY_SDK_UNSUPPORTED');
    expect((failure as DiscoveryError).message).toContain('authorization_endpoint');
    expect(world.exchanges).toHaveLength(0);
  });

  it('[AGENT-SDK-PROVIDER-CHECKED-DISCOVERY] presents the RAS credentials at the checked token endpoint only', async () => {
    const { world, ema, user } = await setUp(sdkReady());
    const authorization = ema.authorization(user, world.mcpUrl);
    const provider = new EmaOAuthClientProvider(authorization);
    expect(await auth(provider, { serverUrl: world.mcpUrl, fetchFn: provider.fetch })).toBe('AUTHORIZED');
    const headers = new Headers();
    const refused = await Promise.resolve(
      provider.addClientAuthentication(headers, new URLSearchParams(), `${world.origin}/elsewhere/token`),
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UnknownAuthorizationServerError);
    expect(headers.has('authorization')).toBe(false);
    expect(await provider.clientInformation()).toEqual({ client_id: 'host-at-ras', issuer: world.rasIssuer });
    expect(provider.tokens()).toEqual({
      access_token: 'at-2',
      token_type: 'Bearer',
      scope: 'tickets.read tickets.write',
    });
  });
});
