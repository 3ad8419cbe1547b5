import { protectedResourceMetadataUrl } from '@ema/resource-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../support/server.js';
import { createTestKey, PRM_URL } from '../support/tokens.js';

const EXPECTED = {
  resource: 'http://localhost:3300/mcp',
  authorization_servers: ['http://localhost:3200'],
  scopes_supported: ['tickets.read', 'tickets.write'],
  bearer_methods_supported: ['header'],
  resource_name: 'Acme Tickets',
  // RFC 9728 §2: DPoP proofs accepted (ES256); not required by default, so dpop_bound_access_tokens_required is absent.
  dpop_signing_alg_values_supported: ['ES256'],
};

describe('protected resource metadata', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer((await createTestKey()).keys);
  });
  afterAll(() => server.close());

  it('[MCP-RFC9728-3-PRM-PATH] serves the metadata at the path-inserted well-known URL of the resource', async () => {
    const response = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', server.origin));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toStrictEqual(EXPECTED);
  });

  it('[MCP-AUTH-PRM-ROOT] serves the same metadata at the root well-known URL', async () => {
    const response = await fetch(new URL('/.well-known/oauth-protected-resource', server.origin));
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual(EXPECTED);
  });

  it('[MCP-RFC9728-2-PRM-FIELDS] names the resource, the RAS, the scopes, the header bearer method and the DPoP algorithms only', async () => {
    const body = (await (await fetch(new URL('/.well-known/oauth-protected-resource/mcp', server.origin))).json()) as {
      resource: string;
    };
    // RFC 9728 §3.3: the resource in the metadata is exactly the identifier the metadata URL was derived from.
    expect(protectedResourceMetadataUrl(body.resource)).toBe(PRM_URL);
    expect(body).toStrictEqual(EXPECTED);
  });

  it('answers GET /healthz', async () => {
    const response = await fetch(new URL('/healthz', server.origin));
    expect(response.status).toBe(200);
    expect(await response.json()).toStrictEqual({ status: 'ok' });
  });
});
