import {
  GRANT_TYPE_JWT_BEARER,
  GRANT_TYPE_TOKEN_EXCHANGE,
  TOKEN_TYPE_ID_JAG,
  TOKEN_TYPE_ID_TOKEN,
  TOKEN_TYPE_REFRESH_TOKEN,
} from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { clientIdOnly } from '../../src/client-authentication.js';
import {
  GrantRefusedError,
  InsufficientScopeError,
  InsufficientUserAuthenticationError,
  PolicyDenialError,
  TokenResponseError,
  UnknownAuthorizationServerError,
  UnreachableError,
} from '../../src/errors.js';
import type { ObservedExchange } from '../../src/http/observer.js';
import { withMcpClient } from '../../src/mcp-sdk/mcp-session.js';
import { fakeWorldPerTest } from '../support/ema-fixture.js';
import { jtiOf } from '../support/id-jag.js';

const setUp = fakeWorldPerTest();

describe('withMcpClient: the EMA flow through the MCP SDK', () => {
  it('[AGENT-EMA-FLOW] discovers from the 401, exchanges the ID token, redeems the ID-JAG and calls the server', async () => {
    const { world, ema, user } = await setUp();
    const authorization = ema.authorization(user, world.mcpUrl);
    const tools = await withMcpClient(authorization, async (client) =>
      (await client.listTools()).tools.map((t) => t.name),
    );
    expect(tools).toEqual(['whoami', 'create_ticket']);

    expect(world.exchanges).toHaveLength(1);
    const exchange = world.exchanges[0]?.params;
    expect(exchange?.get('grant_type')).toBe(GRANT_TYPE_TOKEN_EXCHANGE);
    expect(exchange?.get('requested_token_type')).toBe(TOKEN_TYPE_ID_JAG);
    expect(exchange?.get('audience')).toBe(world.rasIssuer);
    expect(exchange?.get('resource')).toBe(world.mcpUrl);
    expect(exchange?.get('subject_token')).toBe('id-token-of-alice');
    expect(exchange?.get('subject_token_type')).toBe(TOKEN_TYPE_ID_TOKEN);
    expect(exchange?.get('scope')).toBe('tickets.read tickets.write');

    expect(world.grants).toHaveLength(1);
    expect(world.grants[0]?.params.get('grant_type')).toBe(GRANT_TYPE_JWT_BEARER);
    expect(jtiOf(world.grants[0]?.params.get('assertion'))).toBe('idjag-1');
    expect(world.grants[0]?.params.get('resource')).toBe(world.mcpUrl);
    expect(world.mcpCalls.at(-1)?.token).toBe('at-2');
  });

  it('[AGENT-RFC6749-2.3.1-BASIC] authenticates at the RAS with its RAS credentials, form-encoded, in Basic', async () => {
    const { world, ema, user } = await setUp();
    await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools());
    const expected = Buffer.from(
      `host-at-ras:${encodeURIComponent('ras secret:with%odd chars').replace(/%20/g, '+')}`,
    ).toString('base64');
    expect(world.grants[0]?.authorization).toBe(`Basic ${expected}`);
    expect(world.grants[0]?.params.has('client_secret')).toBe(false);
  });

  it('[AGENT-EMA-FLOW] works with an EMA-only RAS, whose metadata has no authorization_endpoint', async () => {
    const { world, ema, user } = await setUp({ rasMetadata: () => ({ authorization_endpoint: undefined }) });
    const tools = await withMcpClient(ema.authorization(user, world.mcpUrl), async (client) =>
      (await client.listTools()).tools.map((t) => t.name),
    );
    expect(tools).toEqual(['whoami', 'create_ticket']);
    expect(world.grants).toHaveLength(1);
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

  it('[AGENT-EMA-TOKEN-CACHE] reuses the access token across actions while it is fresh', async () => {
    const { world, ema, user } = await setUp();
    await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools());
    await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.callTool({ name: 'whoami' }));
    expect(world.exchanges).toHaveLength(1);
    expect(world.grants).toHaveLength(1);
  });

  it('[AGENT-EMA-REMINT] re-mints silently (new ID-JAG, new access token) shortly before the token expires', async () => {
    const { world, ema, user, clock } = await setUp({ accessTokenTtlSeconds: 300 });
    await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools());
    clock.now += 200_000;
    await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools());
    expect(world.exchanges).toHaveLength(1);
    // 300 s token, renewed 60 s before expiry: at +250 s it is due.
    clock.now += 50_000;
    const steps: string[] = [];
    const observer = { exchange: ({ label }: ObservedExchange) => steps.push(label.step) };
    await withMcpClient(ema.authorization(user, world.mcpUrl, { observer }), (client) =>
      client.callTool({ name: 'whoami' }),
    );
    expect(world.exchanges).toHaveLength(2);
    expect(world.grants).toHaveLength(2);
    expect(jtiOf(world.grants[1]?.params.get('assertion'))).toBe('idjag-3');
    // Silent: no 401 was needed, the first MCP request of the action already carried the new token.
    expect(world.mcpCalls.filter((call) => call.status === 401)).toHaveLength(1);
    expect(steps.slice(0, 2)).toEqual(['token-exchange', 'jwt-bearer']);
  });

  it('[AGENT-EMA-REFRESH-SUBJECT] presents the IdP refresh token when the ID token is too old', async () => {
    const { world, ema, user, clock, signIn } = await setUp({ accessTokenTtlSeconds: 300 });
    await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools());
    clock.now = signIn.idTokenExpiresAt + 1000;
    await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools());
    expect(world.exchanges).toHaveLength(2);
    expect(world.exchanges[1]?.params.get('subject_token_type')).toBe(TOKEN_TYPE_REFRESH_TOKEN);
    expect(world.exchanges[1]?.params.get('subject_token')).toBe('refresh-token-of-alice');
  });

  it('[AGENT-MCP-UPSCOPE] on 403 insufficient_scope makes exactly one new exchange for the union and retries once', async () => {
    const { world, ema, user } = await setUp({
      challengeScope: 'tickets.read',
      toolScopes: { create_ticket: ['tickets.write'] },
    });
    const result = await withMcpClient(ema.authorization(user, world.mcpUrl), async (client) => {
      await client.listTools();
      return client.callTool({ name: 'create_ticket', arguments: { title: 'Printer' } });
    });
    expect(result.content).toEqual([{ type: 'text', text: 'created Printer' }]);
    expect(world.exchanges.map((e) => e.params.get('scope'))).toEqual(['tickets.read', 'tickets.read tickets.write']);
    expect(world.mcpCalls.filter((call) => call.status === 403)).toHaveLength(1);
  });

  it('[AGENT-MCP-UPSCOPE] reports insufficient scope after one exchange when the organization does not widen it', async () => {
    const { world, ema, user } = await setUp({
      toolScopes: { create_ticket: ['tickets.write'] },
      idpPolicy: (requested) => ({ grant: requested.filter((scope) => scope === 'tickets.read') }),
    });
    const failure = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) =>
      client.callTool({ name: 'create_ticket', arguments: { title: 'Printer' } }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InsufficientScopeError);
    expect((failure as InsufficientScopeError).requiredScopes).toEqual(['tickets.write']);
    expect((failure as InsufficientScopeError).grantedScopes).toEqual(['tickets.read']);
    expect(world.exchanges).toHaveLength(2);
    expect(world.grants).toHaveLength(1);
  });

  it('[AGENT-EMA-NO-FALLBACK] shows an IdP denial as a policy decision and never starts an interactive flow', async () => {
    for (const error of ['invalid_target', 'access_denied']) {
      const { world, ema, user } = await setUp({
        idpPolicy: () => ({ error, description: 'not granted by organization policy' }),
      });
      const failure = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools()).catch(
        (caught: unknown) => caught,
      );
      expect(failure).toBeInstanceOf(PolicyDenialError);
      expect((failure as PolicyDenialError).error).toBe(error);
      expect((failure as PolicyDenialError).description).toBe('not granted by organization policy');
      expect(world.authorizeHits).toBe(0);
      expect(world.grants).toHaveLength(0);
      await world.close();
    }
  });

  it('[AGENT-EMA-NO-FALLBACK] reports a server that refuses a fresh token as such, never trying another flow', async () => {
    // The RAS issues tokens the MCP server does not know: the one retry fails, and nothing else is attempted.
    const { world, ema, user } = await setUp({ rasTokenResponse: { access_token: 'unknown-to-the-server' } });
    const failure = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools()).catch(
      (caught: unknown) => caught,
    );
    expect(failure).toBeInstanceOf(GrantRefusedError);
    expect((failure as GrantRefusedError).party).toBe('mcp');
    expect((failure as GrantRefusedError).error).toBe('invalid_token');
    expect(world.exchanges).toHaveLength(1);
    expect(world.grants).toHaveLength(1);
    expect(world.mcpCalls.map((call) => call.status)).toEqual([401, 401]);
    expect(world.authorizeHits).toBe(0);
  });

  it("[AGENT-MCP-STEP-UP-CHALLENGE] reports the MCP server's insufficient_user_authentication with its acr_values and max_age, minting nothing more", async () => {
    const { world, ema, user } = await setUp({ toolStepUp: { create_ticket: 'urn:example:mfa' } });
    const failure = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) =>
      client.callTool({ name: 'create_ticket', arguments: { title: 'x' } }),
    ).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(InsufficientUserAuthenticationError);
    const stepUp = failure as InsufficientUserAuthenticationError;
    expect(stepUp.party).toBe('mcp');
    expect(stepUp.stepUp()).toEqual({ acrValues: 'urn:example:mfa', maxAge: 300 });
    expect(stepUp.description).toBe('a stronger sign-in is required');
    // A new token from the same sign-in could not help: one exchange (the first grant), no retry of the call.
    expect(world.exchanges).toHaveLength(1);
    expect(world.mcpCalls.filter((call) => call.method === 'tools/call').map((call) => call.status)).toEqual([401]);
    expect(world.authorizeHits).toBe(0);
  });

  it('[AGENT-EMA-RAS-CREDENTIALS] refuses a RAS it holds no credentials for, sending it nothing', async () => {
    const { world, ema, user, registration } = await setUp();
    registration.atRas = false;
    const failure = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools()).catch(
      (caught: unknown) => caught,
    );
    expect(failure).toBeInstanceOf(UnknownAuthorizationServerError);
    expect((failure as UnknownAuthorizationServerError).issuer).toBe(world.rasIssuer);
    expect(world.exchanges).toHaveLength(0);
    expect(world.grants).toHaveLength(0);
  });

  it('[AGENT-EMA-RAS-CREDENTIALS] refuses to re-mint at a RAS whose registration was withdrawn since discovery', async () => {
    const { world, ema, user, clock, registration } = await setUp({ accessTokenTtlSeconds: 300 });
    await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools());
    registration.atRas = false;
    clock.now += 300_000;
    const failure = await ema
      .authorization(user, world.mcpUrl)
      .accessToken()
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(UnknownAuthorizationServerError);
    expect(world.grants).toHaveLength(1);
  });

  it('[AGENT-UNREACHABLE] reports an unreachable IdP as such', async () => {
    const { world, ema, user } = await setUp(
      {},
      {
        idp: {
          tokenEndpoint: async () => 'http://127.0.0.1:9/token',
          clientAuthentication: clientIdOnly('host-at-idp'),
        },
      },
    );
    const failure = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools()).catch(
      (caught: unknown) => caught,
    );
    expect(failure).toBeInstanceOf(UnreachableError);
    expect((failure as UnreachableError).party).toBe('idp');
  });

  it('[AGENT-UNREACHABLE] reports an unreachable MCP server as such', async () => {
    const { ema, user } = await setUp();
    const failure = await withMcpClient(ema.authorization(user, 'http://127.0.0.1:9/mcp'), (client) =>
      client.listTools(),
    ).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(UnreachableError);
    expect((failure as UnreachableError).party).toBe('mcp');
  });

  it('[AGENT-EMA-FLOW] mints a new token when the server rejects the cached one', async () => {
    const { world, ema, user } = await setUp();
    await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools());
    world.revokeAll();
    await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools());
    expect(world.exchanges).toHaveLength(2);
  });
});
