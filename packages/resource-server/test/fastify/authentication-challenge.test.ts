import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthenticationShortfall } from '../../src/authentication-requirement.js';
import { authenticationChallenge } from '../../src/fastify/authentication-challenge.js';
import { bearerAuthentication } from '../../src/fastify/bearer-authentication.js';
import { createTestKey, mintToken, PRM_URL, RAS_ISSUER, RESOURCE, type TestKey } from '../support/tokens.js';

const MFA = 'urn:example:acr:mfa';
const toolScopes = {
  scopesSupported: ['tickets.read', 'tickets.write'],
  tools: { list_tickets: ['tickets.read'], create_ticket: ['tickets.write'] },
};

describe('authenticationChallenge (Fastify)', () => {
  let key: TestKey;
  let app: FastifyInstance;
  const refused: AuthenticationShortfall[] = [];

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
    const preHandler = authenticationChallenge({
      resource: RESOURCE,
      toolScopes,
      toolAuthentication: { create_ticket: { acrValues: [MFA] } },
      onRefusal: async (_request, _principal, shortfall) => {
        refused.push(shortfall);
      },
    });
    app.post('/mcp', { preHandler }, async () => ({ reached: true }));
  });
  afterAll(() => app.close());

  async function callTool(name: string, acr: string | undefined) {
    return app.inject({
      method: 'POST',
      url: '/mcp',
      headers: { authorization: `Bearer ${await mintToken(key, { scope: 'tickets.read', acr })}` },
      payload: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: {} } },
    });
  }

  it('[MCP-RFC9470-3-STEP-UP] answers a tool call whose sign-in is too weak with 401 and the step-up challenge, telling onRefusal first', async () => {
    const response = await callTool('create_ticket', 'urn:example:acr:pwd');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe(
      `Bearer error="insufficient_user_authentication", error_description="create_ticket requires a stronger sign-in", resource_metadata="${PRM_URL}", scope="tickets.read tickets.write", acr_values="${MFA}"`,
    );
    expect(response.json()).toStrictEqual({
      error: 'insufficient_user_authentication',
      error_description: 'create_ticket requires a stronger sign-in',
      acr_values: MFA,
    });
    expect(refused).toStrictEqual([{ operations: ['create_ticket'], acrValues: [MFA] }]);
  });

  it('[MCP-RFC9470-3-STEP-UP] lets through a strong enough token, and tools without a requirement', async () => {
    expect((await callTool('create_ticket', MFA)).json()).toStrictEqual({ reached: true });
    expect((await callTool('list_tickets', undefined)).json()).toStrictEqual({ reached: true });
  });
});
