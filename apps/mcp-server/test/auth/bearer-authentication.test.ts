import { JwtValidationError } from '@ema/jwt';
import { TYP_ID_JAG, TYP_ID_TOKEN } from '@ema/protocol';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, INITIALIZE, mcpHeaders, type RunningServer, startServer } from '../support/server.js';
import { createTestKey, mintToken, mintWithTyp, PRM_URL, type TestKey } from '../support/tokens.js';

// RFC 9449 §7.2: the server accepts DPoP-bound tokens too, so every 401 also names the DPoP scheme and its algorithms
// (after the Bearer challenge, which a bearer-only client reads as before).
const DPOP_CHALLENGE = `DPoP algs="ES256", resource_metadata="${PRM_URL}", scope="tickets.read"`;
// MCP-AUTH scope selection, least privilege: a client starts with reading; writing is asked for with a 403.
const BARE_CHALLENGE = `Bearer resource_metadata="${PRM_URL}", scope="tickets.read", ${DPOP_CHALLENGE}`;

function invalidTokenChallenge(description: string): string {
  return `Bearer error="invalid_token", error_description="${description}", resource_metadata="${PRM_URL}", scope="tickets.read", ${DPOP_CHALLENGE}`;
}

describe('bearer authentication of the MCP endpoint', () => {
  let key: TestKey;
  let server: RunningServer;

  beforeAll(async () => {
    key = await createTestKey();
    server = await startServer(key.keys);
  });
  afterAll(() => server.close());

  async function post(authorization: string | undefined, url: URL = server.url): Promise<Response> {
    return fetch(url, {
      method: 'POST',
      headers: mcpHeaders(authorization === undefined ? {} : { authorization }),
      body: JSON.stringify(INITIALIZE),
    });
  }

  /** Connects the SDK client and returns the HTTP status it was refused with. */
  async function sdkRefusal(token: string | undefined): Promise<number> {
    const client = new Client({ name: 't', version: '0' });
    const headers: Record<string, string> = token === undefined ? {} : { Authorization: `Bearer ${token}` };
    const error = await client
      .connect(new StreamableHTTPClientTransport(server.url, { requestInit: { headers } }))
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(error).toBeInstanceOf(StreamableHTTPError);
    return (error as StreamableHTTPError).code ?? 0;
  }

  it('[MCP-AUTH-401-CHALLENGE] [MCP-AUTH-INITIAL-SCOPE] answers a request without a token with 401 and the bare challenge, naming the reading scope only', async () => {
    const response = await post(undefined);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(BARE_CHALLENGE);
    expect(await response.text()).toBe('');
    expect(await sdkRefusal(undefined)).toBe(401);
  });

  it('[MCP-AUTH-401-CHALLENGE] treats another authentication scheme as no bearer token', async () => {
    const response = await post('Basic YWxpY2U6cGFzc3dvcmQ=');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(BARE_CHALLENGE);
  });

  it('[MCP-AUTH-AUDIENCE] refuses a token issued for another resource with 401 invalid_token', async () => {
    const token = await mintToken(key, { aud: 'http://localhost:3301/mcp' });
    const response = await post(`Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      invalidTokenChallenge('The access token was not issued for this resource'),
    );
    expect(await response.json()).toStrictEqual({
      error: 'invalid_token',
      error_description: 'The access token was not issued for this resource',
    });
    expect(await sdkRefusal(token)).toBe(401);
  });

  it('[MCP-AUTH-AUDIENCE] refuses an audience with a trailing slash or a second audience', async () => {
    for (const aud of ['http://localhost:3300/mcp/', ['http://localhost:3300/mcp', 'http://localhost:3301/mcp']]) {
      const response = await post(`Bearer ${await mintToken(key, { aud })}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        invalidTokenChallenge('The access token was not issued for this resource'),
      );
    }
  });

  it('[MCP-RFC9068-4-EXPIRY] refuses an expired token with 401 invalid_token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await mintToken(key, { iat: now - 1000, exp: now - 60 });
    const response = await post(`Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(invalidTokenChallenge('The access token expired'));
    expect(await sdkRefusal(token)).toBe(401);
  });

  it('[MCP-RFC9068-4-SIGNATURE] refuses a token signed by a key the RAS does not publish', async () => {
    const stranger = await createTestKey();
    const token = await mintToken(stranger);
    const response = await post(`Bearer ${token}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(invalidTokenChallenge('The access token is invalid'));
    expect(await sdkRefusal(token)).toBe(401);
  });

  it('[MCP-RFC9068-4-SIGNATURE] refuses a token whose signature does not match its published kid', async () => {
    const stranger = await createTestKey(key.signer.kid);
    const response = await post(`Bearer ${await mintToken(stranger)}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(invalidTokenChallenge('The access token is invalid'));
  });

  it('[MCP-RFC9068-TYP] refuses a token whose typ is not at+jwt (an ID token, an ID-JAG)', async () => {
    for (const typ of [TYP_ID_TOKEN, TYP_ID_JAG]) {
      const token = await mintWithTyp(key, typ);
      const response = await post(`Bearer ${token}`);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        invalidTokenChallenge('The token is not a JWT access token (typ at+jwt)'),
      );
      expect(await sdkRefusal(token)).toBe(401);
    }
  });

  it('[MCP-RFC9068-4-ISSUER] refuses a token from another issuer', async () => {
    const response = await post(`Bearer ${await mintToken(key, { iss: 'http://localhost:3100' })}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      invalidTokenChallenge('The access token was not issued by the authorization server of this resource'),
    );
  });

  it('[MCP-RFC6750-3.1-INVALID-TOKEN] refuses a malformed token with 401 invalid_token', async () => {
    for (const authorization of ['Bearer not-a-jwt', 'Bearer a b', 'Bearer']) {
      const response = await post(authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description="/);
    }
  });

  it('[MCP-AUTH-NO-QUERY-TOKEN] refuses a token in the query string with 400 invalid_request', async () => {
    const token = await mintToken(key);
    const url = new URL(server.url);
    url.searchParams.set('access_token', token);
    for (const authorization of [undefined, `Bearer ${token}`]) {
      const response = await post(authorization, url);
      expect(response.status).toBe(400);
      expect(response.headers.get('www-authenticate')).toBe(
        `Bearer error="invalid_request", error_description="Access tokens are accepted only in the Authorization header", resource_metadata="${PRM_URL}", scope="tickets.read", ${DPOP_CHALLENGE}`,
      );
      expect(await response.json()).toStrictEqual({
        error: 'invalid_request',
        error_description: 'Access tokens are accepted only in the Authorization header',
      });
    }
  });

  it('[MCP-AUTH-EVERY-REQUEST] refuses a request on an open session that comes without a token', async () => {
    const client = await connectClient(server, await mintToken(key));
    const transport = client.transport as StreamableHTTPClientTransport;
    const sessionId = transport.sessionId ?? '';
    const response = await fetch(server.url, {
      method: 'POST',
      headers: mcpHeaders({ 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' }),
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(BARE_CHALLENGE);
    await client.close();
  });

  it('accepts a valid token and lets the session work', async () => {
    const client = await connectClient(server, await mintToken(key));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toStrictEqual([
      'whoami',
      'list_tickets',
      'get_ticket',
      'create_ticket',
      'update_ticket',
    ]);
    await client.close();
  });
});

describe('when the RAS keys cannot be fetched', () => {
  it('answers 503 temporarily_unavailable rather than blaming the token', async () => {
    const unavailable = async (): Promise<never> => {
      throw new JwtValidationError('ERR_JWKS_UNAVAILABLE');
    };
    const key = await createTestKey();
    const server = await startServer(unavailable);
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: mcpHeaders({ authorization: `Bearer ${await mintToken(key)}` }),
        body: JSON.stringify(INITIALIZE),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(await response.json()).toStrictEqual({
        error: 'temporarily_unavailable',
        error_description: 'The authorization server keys are unavailable; retry later',
      });
    } finally {
      await server.close();
    }
  });
});
