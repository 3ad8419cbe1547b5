import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessTokenPrincipal } from '../../src/access-token-principal.js';
import { bearerAuthentication } from '../../src/fastify/bearer-authentication.js';
import { scopeChallenge } from '../../src/fastify/scope-challenge.js';
import type { ScopeShortfall } from '../../src/scope-shortfall.js';
import { createTestKey, mintToken, PRM_URL, RAS_ISSUER, RESOURCE, type TestKey } from '../support/tokens.js';

const toolScopes = {
  scopesSupported: ['tickets.read', 'tickets.write'],
  tools: { list_tickets: ['tickets.read'], create_ticket: ['tickets.write'] },
};

describe('scopeChallenge (Fastify)', () => {
  let key: TestKey;
  let app: FastifyInstance;
  const refused: [string, ScopeShortfall][] = [];

  beforeAll(async () => {
    key = await createTestKey();
    app = Fastify();
    await app.register(bearerAuthentication, {
      issuer: RAS_ISSUER,
      resource: RESOURCE,
      keys: key.keys,
      algorithms: ['ES256'],
      scopesSupported: toolScopes.scopesSupported,
    });
    const onRefusal = async (_request: unknown, principal: AccessTokenPrincipal, shortfall: ScopeShortfall) => {
      refused.push([principal.jti, shortfall]);
    };
    app.post('/mcp', { preHandler: scopeChallenge({ resource: RESOURCE, toolScopes, onRefusal }) }, async () => ({
      reached: true,
    }));
  });
  afterAll(() => app.close());

  async function callTool(scope: string, name: string, jti = 'at-1') {
    return app.inject({
      method: 'POST',
      url: '/mcp',
      headers: { authorization: `Bearer ${await mintToken(key, { scope, jti })}` },
      payload: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {} } },
    });
  }

  it('[MCP-AUTH-403-INSUFFICIENT-SCOPE] answers a tool call the token lacks the scope for with 403 and tells onRefusal first', async () => {
    const response = await callTool('tickets.read', 'create_ticket', 'at-read-only');
    expect(response.statusCode).toBe(403);
    expect(response.headers['www-authenticate']).toBe(
      `Bearer error="insufficient_scope", error_description="create_ticket requires the scope tickets.write", resource_metadata="${PRM_URL}", scope="tickets.read tickets.write"`,
    );
    expect(response.json()).toStrictEqual({
      error: 'insufficient_scope',
      error_description: 'create_ticket requires the scope tickets.write',
    });
    expect(refused).toStrictEqual([
      [
        'at-read-only',
        {
          operations: ['create_ticket'],
          missing: ['tickets.write'],
          challengeScope: ['tickets.read', 'tickets.write'],
        },
      ],
    ]);
  });

  it('lets through calls the token has the scope for, and everything that is not a tool call', async () => {
    expect((await callTool('tickets.read', 'list_tickets')).json()).toStrictEqual({ reached: true });
    expect((await callTool('', 'unknown_tool')).json()).toStrictEqual({ reached: true });
  });
});
