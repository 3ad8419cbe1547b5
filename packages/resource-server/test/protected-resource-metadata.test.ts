import { describe, expect, it } from 'vitest';
import {
  protectedResourceMetadata,
  protectedResourceMetadataPath,
  protectedResourceMetadataPaths,
  protectedResourceMetadataUrl,
} from '../src/protected-resource-metadata.js';
import { PRM_URL, RAS_ISSUER, RESOURCE } from './support/tokens.js';

describe('protected resource metadata', () => {
  it('[MCP-RFC9728-2-PRM-FIELDS] names the resource, the authorization server, the scopes and the header bearer method only', () => {
    const input = { resource: RESOURCE, authorizationServer: RAS_ISSUER, scopesSupported: ['a', 'b'] };
    expect(protectedResourceMetadata({ ...input, resourceName: 'Tickets' })).toStrictEqual({
      resource: RESOURCE,
      authorization_servers: [RAS_ISSUER],
      scopes_supported: ['a', 'b'],
      bearer_methods_supported: ['header'],
      resource_name: 'Tickets',
    });
    expect(protectedResourceMetadata(input)).not.toHaveProperty('resource_name');
  });

  it('[MCP-RFC9728-3-PRM-PATH] derives the well-known location by inserting the segment before the path', () => {
    expect(protectedResourceMetadataUrl(RESOURCE)).toBe(PRM_URL);
    expect(protectedResourceMetadataPath('https://tickets.example/tenants/a/mcp')).toBe(
      '/.well-known/oauth-protected-resource/tenants/a/mcp',
    );
    expect(protectedResourceMetadataUrl('https://tickets.example:8443/')).toBe(
      'https://tickets.example:8443/.well-known/oauth-protected-resource',
    );
  });

  it('[MCP-AUTH-PRM-ROOT] lists the path-inserted location first, then the root one, each once', () => {
    expect(protectedResourceMetadataPaths(RESOURCE)).toStrictEqual([
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]);
    expect(protectedResourceMetadataPaths('https://tickets.example/')).toStrictEqual([
      '/.well-known/oauth-protected-resource',
    ]);
  });
});
