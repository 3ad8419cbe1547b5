/**
 * A cut-off connection (the organization revoked access: the MCP server says "revoked", the IdP refuses the
 * sign-in) ends in one typed error, `AccessRevokedError`, after at most one new grant: never an "expired sign-in"
 * message, never a retry loop.
 */
import { TOKEN_TYPE_ID_TOKEN } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { clientSecretBasic } from '../src/client-authentication.js';
import { AccessRevokedError, SubjectTokenUnavailableError } from '../src/errors.js';
import { requestIdJag } from '../src/grants/token-exchange.js';
import { withMcpClient } from '../src/mcp-sdk/index.js';
import { fakeWorldPerTest } from './support/ema-fixture.js';

const setUp = fakeWorldPerTest();

describe('access revoked by the organization', () => {
  it('[AGENT-ACCESS-REVOKED] the MCP server says revoked and the IdP refuses the sign-in: AccessRevokedError after one attempt', async () => {
    const { world, ema, user } = await setUp();
    await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools());
    world.revokeAccess({ idp: true });
    const exchangesBefore = world.exchanges.length;
    const failure = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) =>
      client.callTool({ name: 'whoami', arguments: {} }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AccessRevokedError);
    expect((failure as AccessRevokedError).party).toBe('idp');
    // One new grant was tried, no more: no retry loop.
    expect(world.exchanges.length - exchangesBefore).toBe(1);
    expect(world.mcpCalls.filter((call) => call.status === 401 && call.token !== undefined)).toHaveLength(1);
  });

  it('[AGENT-ACCESS-REVOKED] the MCP server refuses even the fresh token as revoked: AccessRevokedError for the MCP server', async () => {
    const { world, ema, user } = await setUp();
    await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools());
    world.revokeAccess({ future: true });
    const grantsBefore = world.grants.length;
    const failure = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) =>
      client.callTool({ name: 'whoami', arguments: {} }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AccessRevokedError);
    expect((failure as AccessRevokedError).party).toBe('mcp');
    expect(world.grants.length - grantsBefore).toBe(1);
  });

  it('[AGENT-ACCESS-REVOKED] an ordinary expiry is still an expiry: a plain 401 re-mints silently and works', async () => {
    const { world, ema, user } = await setUp();
    await withMcpClient(ema.authorization(user, world.mcpUrl), (client) => client.listTools());
    world.revokeAll();
    const result = await withMcpClient(ema.authorization(user, world.mcpUrl), (client) =>
      client.callTool({ name: 'whoami', arguments: {} }),
    );
    expect(result).toMatchObject({ content: [{ type: 'text', text: 'you' }] });
  });

  it('[AGENT-ACCESS-REVOKED] an ID token refused within its lifetime is a revocation; a refused refresh token is not', async () => {
    const now = Date.UTC(2030, 0, 1);
    const refusing = async () => Response.json({ error: 'invalid_grant' }, { status: 400 });
    const request = (subjectToken: { token: string; type: typeof TOKEN_TYPE_ID_TOKEN; expiresAt?: number }) =>
      requestIdJag({
        tokenEndpoint: 'https://idp.example/token',
        clientAuthentication: clientSecretBasic({ clientId: 'c', clientSecret: 's' }),
        audience: 'https://ras.example',
        rasClientId: 'c-at-ras',
        resource: 'https://mcp.example/mcp',
        scopes: [],
        subjectToken,
        fetch: refusing,
        now: () => now,
      }).catch((error: unknown) => error);
    expect(await request({ token: 'id', type: TOKEN_TYPE_ID_TOKEN, expiresAt: now + 60_000 })).toBeInstanceOf(
      AccessRevokedError,
    );
    expect(await request({ token: 'id', type: TOKEN_TYPE_ID_TOKEN, expiresAt: now - 1 })).toBeInstanceOf(
      SubjectTokenUnavailableError,
    );
    expect(await request({ token: 'id', type: TOKEN_TYPE_ID_TOKEN })).toBeInstanceOf(SubjectTokenUnavailableError);
  });
});
