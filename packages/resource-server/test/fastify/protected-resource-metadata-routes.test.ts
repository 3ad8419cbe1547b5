import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protectedResourceMetadataRoutes } from '../../src/fastify/protected-resource-metadata-routes.js';
import { RAS_ISSUER, RESOURCE } from '../support/tokens.js';

const EXPECTED = {
  resource: RESOURCE,
  authorization_servers: [RAS_ISSUER],
  scopes_supported: ['tickets.read', 'tickets.write'],
  bearer_methods_supported: ['header'],
  resource_name: 'Acme Tickets',
};

describe('protectedResourceMetadataRoutes (Fastify)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    await app.register(protectedResourceMetadataRoutes, {
      resource: RESOURCE,
      authorizationServer: RAS_ISSUER,
      scopesSupported: ['tickets.read', 'tickets.write'],
      resourceName: 'Acme Tickets',
    });
  });
  afterAll(() => app.close());

  it('[MCP-RFC9728-3-PRM-PATH] serves the metadata at the path-inserted well-known URL, as application/json', async () => {
    const response = await app.inject({ method: 'GET', url: '/.well-known/oauth-protected-resource/mcp' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json()).toStrictEqual(EXPECTED);
  });

  it('[MCP-AUTH-PRM-ROOT] serves the same document at the root well-known URL', async () => {
    const response = await app.inject({ method: 'GET', url: '/.well-known/oauth-protected-resource' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toStrictEqual(EXPECTED);
  });
});
