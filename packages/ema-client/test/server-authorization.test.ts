/**
 * One action's authorization driven through its `fetch` alone, as any MCP client (or none) would use it: no MCP
 * library on the client side here.
 */
import { describe, expect, it } from 'vitest';
import { clientIdOnly } from '../src/client-authentication.js';
import { IdJagMismatchError, InsecureUrlError, ResponseTooLargeError, TokenResponseError } from '../src/errors.js';
import type { ObservedExchange } from '../src/http/observer.js';
import { fakeWorldPerTest } from './support/ema-fixture.js';

const setUp = fakeWorldPerTest();

/** An MCP `initialize` request, as a Streamable HTTP client POSTs it. */
const INITIALIZE: RequestInit = {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  body: JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
  }),
};

describe('ServerAuthorization.fetch', () => {
  it('[AGENT-EMA-FLOW] answers the 401 itself: discovery, exchange, grant, then the request once more with the token', async () => {
    const { world, ema, user } = await setUp();
    const seen: ObservedExchange[] = [];
    const authorization = ema.authorization(user, world.mcpUrl, { observer: { exchange: (e) => seen.push(e) } });
    const response = await authorization.fetch(world.mcpUrl, INITIALIZE);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: 1, result: { serverInfo: { name: 'fake-tickets' } } });
    expect(world.mcpCalls.map((call) => [call.status, call.token])).toEqual([
      [401, undefined],
      [200, 'at-2'],
    ]);
    expect(authorization.lastChallenge?.resourceMetadata).toBe(
      `${world.origin}/.well-known/oauth-protected-resource/mcp`,
    );
    // [AGENT-INSPECTOR-STEPS]: every request reported once, in the flow's words.
    expect(seen).toHaveLength(world.requests.length);
    expect(seen.map(({ label }) => `${label.step} ${label.party} ${label.title}`)).toEqual([
      'discovery mcp MCP request without a token: the 401 challenge (MCP-AUTH)',
      'discovery mcp Protected resource metadata (RFC 9728)',
      'discovery ras Authorization server metadata (RFC 8414)',
      'token-exchange idp Token exchange at the IdP (RFC 8693)',
      'jwt-bearer ras JWT bearer grant at the RAS (RFC 7523)',
      'mcp mcp MCP POST initialize',
    ]);
    expect(seen.map(({ response }) => response?.status)).toEqual([401, 200, 200, 200, 200, 200]);
  });

  it('[AGENT-TOKEN-AUDIENCE] presents the access token to the MCP server origin only', async () => {
    const sent: { url: string; authorization: string | null }[] = [];
    const { world, ema, user } = await setUp(
      {},
      {
        fetch: (input, init) => {
          sent.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
          return fetch(input, init);
        },
      },
    );
    const authorization = ema.authorization(user, world.mcpUrl);
    await authorization.fetch(world.mcpUrl, INITIALIZE);
    // The same server under another name is another origin: no token, and its 401 is not answered.
    const elsewhere = world.mcpUrl.replace('127.0.0.1', 'localhost');
    expect((await authorization.fetch(elsewhere, INITIALIZE)).status).toBe(401);
    expect(sent.filter((call) => call.url === world.mcpUrl).map((call) => call.authorization)).toEqual([
      null,
      'Bearer at-2',
    ]);
    expect(sent.filter((call) => call.url === elsewhere).map((call) => call.authorization)).toEqual([null]);
    expect(world.grants).toHaveLength(1);
  });

  it('[AGENT-TRANSPORT-HTTPS] refuses a plain-http MCP server outside the loopback opt-out, before any request', async () => {
    const { world, ema, user } = await setUp({}, { allowInsecureLoopback: false });
    const failure = await ema
      .authorization(user, world.mcpUrl)
      .fetch(world.mcpUrl, INITIALIZE)
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(InsecureUrlError);
    expect(world.requests).toEqual([]);
  });

  it('[AGENT-NO-REDIRECT] never follows a token endpoint redirect, so the subject token is not re-posted elsewhere', async () => {
    const redirects: Record<string, string> = {};
    const { world, ema, user } = await setUp({ redirects });
    // Another origin (localhost vs 127.0.0.1): a followed 307 would re-POST the form, ID token included.
    redirects['/idp/token'] = `${world.origin.replace('127.0.0.1', 'localhost')}/idp/token-moved`;
    const failure = await ema
      .authorization(user, world.mcpUrl)
      .fetch(world.mcpUrl, INITIALIZE)
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(TokenResponseError);
    expect(world.requests.filter((request) => request.includes('/idp/token-moved'))).toEqual([]);
    expect(world.grants).toHaveLength(0);
  });

  it('[AGENT-NO-REDIRECT] never follows a metadata redirect out of the URL it checked', async () => {
    const redirects: Record<string, string> = {};
    const { world, ema, user } = await setUp({ redirects });
    redirects['/.well-known/oauth-authorization-server/ras'] = 'http://localhost:9/metadata';
    const failure = await ema
      .authorization(user, world.mcpUrl)
      .fetch(world.mcpUrl, INITIALIZE)
      .catch((caught: unknown) => caught);
    expect((failure as Error).message).toMatch(/HTTP 307/);
    expect(world.exchanges).toHaveLength(0);
  });

  it('[AGENT-RESPONSE-BOUNDED] refuses an answer larger than the bound instead of buffering it', async () => {
    const { world, ema, user } = await setUp({ prm: () => ({ padding: 'x'.repeat(2 * 1024 * 1024) }) });
    const failure = await ema
      .authorization(user, world.mcpUrl)
      .fetch(world.mcpUrl, INITIALIZE)
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(ResponseTooLargeError);
    expect((failure as ResponseTooLargeError).party).toBe('mcp');
    expect(world.exchanges).toHaveLength(0);
  });

  it('[AGENT-TRANSPORT-HTTPS] sends the subject token only to an https IdP token endpoint (or loopback under the opt-out)', async () => {
    const { world, ema, user } = await setUp(
      {},
      {
        idp: {
          tokenEndpoint: async () => 'http://idp.example/token',
          clientAuthentication: clientIdOnly('host-at-idp'),
        },
      },
    );
    const failure = await ema
      .authorization(user, world.mcpUrl)
      .fetch(world.mcpUrl, INITIALIZE)
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(InsecureUrlError);
    expect(world.exchanges).toHaveLength(0);
    expect(world.grants).toHaveLength(0);
  });

  it('[AGENT-ID-JAG-CHECKED] does not forward an ID-JAG the IdP issued for another RAS, resource or client', async () => {
    for (const idJagClaims of [
      { aud: 'https://other-ras.example' },
      { resource: 'https://other.example/mcp' },
      { client_id: 'another-client' },
    ]) {
      const { world, ema, user } = await setUp({ idJagClaims });
      const failure = await ema
        .authorization(user, world.mcpUrl)
        .fetch(world.mcpUrl, INITIALIZE)
        .catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(IdJagMismatchError);
      expect(world.exchanges).toHaveLength(1);
      expect(world.grants).toHaveLength(0);
      await world.close();
    }
  });
});
