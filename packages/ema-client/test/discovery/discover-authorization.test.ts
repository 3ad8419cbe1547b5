import { GRANT_PROFILE_ID_JAG, GRANT_TYPE_JWT_BEARER } from '@ema/protocol';
import { describe, expect, it } from 'vitest';
import { type DiscoveryOptions, discoverAuthorization } from '../../src/discovery/discover-authorization.js';
import { authorizationServerMetadataCandidates } from '../../src/discovery/well-known.js';
import { DiscoveryError, InsecureUrlError, UnknownAuthorizationServerError } from '../../src/errors.js';
import type { FetchLike } from '../../src/http/observer.js';

const MCP = 'https://tickets.example/mcp';
const ISSUER = 'https://as.example';
const PRM_URL = 'https://tickets.example/.well-known/oauth-protected-resource/mcp';

function routes(table: Record<string, unknown>, seen: string[] = []): FetchLike {
  return async (input) => {
    const url = String(input);
    seen.push(url);
    const body = table[url];
    if (body === undefined) return new Response('not found', { status: 404 });
    return Response.json(body);
  };
}

function world(overrides: { prm?: Record<string, unknown>; as?: Record<string, unknown> } = {}, seen: string[] = []) {
  const fetchFn = routes(
    {
      [PRM_URL]: { resource: MCP, authorization_servers: [ISSUER], ...overrides.prm },
      'https://as.example/.well-known/oauth-authorization-server': {
        issuer: ISSUER,
        token_endpoint: 'https://as.example/token',
        grant_types_supported: [GRANT_TYPE_JWT_BEARER],
        authorization_grant_profiles_supported: [GRANT_PROFILE_ID_JAG],
        ...overrides.as,
      },
    },
    seen,
  );
  const options: DiscoveryOptions = {
    serverUrl: MCP,
    challenge: { resourceMetadata: PRM_URL },
    allowInsecureLoopback: false,
    fetchResourceMetadata: fetchFn,
    fetchAuthorizationServerMetadata: fetchFn,
  };
  return options;
}

async function refusal(options: DiscoveryOptions): Promise<DiscoveryError> {
  const error = await discoverAuthorization(options).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(DiscoveryError);
  return error as DiscoveryError;
}

describe('discovery', () => {
  it('[AGENT-RFC9728-RESOURCE-METADATA] follows resource_metadata from the challenge, then the first authorization server', async () => {
    const seen: string[] = [];
    const discovery = await discoverAuthorization(world({}, seen));
    expect(seen).toEqual([PRM_URL, 'https://as.example/.well-known/oauth-authorization-server']);
    expect(discovery.authorizationServer.issuer).toBe(ISSUER);
    expect(discovery.protectedResource.resource).toBe(MCP);
  });

  it('[AGENT-RFC9728-RESOURCE-METADATA] without a challenge tries the path-inserted well-known URL', async () => {
    const seen: string[] = [];
    const options = world({}, seen);
    delete options.challenge;
    await discoverAuthorization(options);
    expect(seen[0]).toBe(PRM_URL);
  });

  it('[AGENT-RFC9728-3.3-RESOURCE-MATCH] refuses metadata describing another resource', async () => {
    expect((await refusal(world({ prm: { resource: 'https://tickets.example/' } }))).code).toBe(
      'ERR_DISCOVERY_RESOURCE_MISMATCH',
    );
    expect((await refusal(world({ prm: { resource: `${MCP}/` } }))).code).toBe('ERR_DISCOVERY_RESOURCE_MISMATCH');
  });

  it('[AGENT-RFC9728-RESOURCE-METADATA] refuses metadata that is not an RFC 9728 document, or names no server', async () => {
    for (const prm of [
      { resource: 42 },
      { authorization_servers: 'https://as.example' },
      { authorization_servers: [] },
    ]) {
      expect((await refusal(world({ prm }))).code).toBe('ERR_DISCOVERY_METADATA_INVALID');
    }
  });

  it('[AGENT-RFC8414-3.3-ISSUER-MATCH] refuses authorization server metadata that is not an RFC 8414 document', async () => {
    for (const as of [{ token_endpoint: undefined }, { issuer: 7 }, { grant_types_supported: GRANT_TYPE_JWT_BEARER }]) {
      expect((await refusal(world({ as }))).code).toBe('ERR_DISCOVERY_METADATA_INVALID');
    }
  });

  it('[AGENT-NO-REDIRECT] refuses a metadata document answered by a redirect, without following it', async () => {
    const seen: string[] = [];
    const options = world({}, seen);
    const redirecting: FetchLike = async (input, init) => {
      expect(init?.redirect).toBe('manual');
      seen.push(String(input));
      return new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/prm' } });
    };
    const error = await refusal({ ...options, fetchResourceMetadata: redirecting });
    expect(error.code).toBe('ERR_DISCOVERY_METADATA_UNAVAILABLE');
    expect(seen).toEqual([PRM_URL]);
  });

  it('[AGENT-RFC8414-3.3-ISSUER-MATCH] refuses metadata whose issuer is not exactly the one it was derived from', async () => {
    for (const issuer of ['https://as.example/', 'https://AS.example', 'https://evil.example']) {
      expect((await refusal(world({ as: { issuer } }))).code).toBe('ERR_DISCOVERY_ISSUER_MISMATCH');
    }
  });

  it('[AGENT-RFC8414-3.1-PATH-INSERT] inserts the well-known suffix between host and issuer path', () => {
    const urls = authorizationServerMetadataCandidates(new URL('https://as.example/tenant1')).map(String);
    expect(urls[0]).toBe('https://as.example/.well-known/oauth-authorization-server/tenant1');
    expect(urls).toContain('https://as.example/.well-known/openid-configuration/tenant1');
  });

  it('[AGENT-IDJAG-6.1-GRANT-PROFILE] refuses a RAS that does not list the ID-JAG grant profile', async () => {
    expect((await refusal(world({ as: { authorization_grant_profiles_supported: undefined } }))).code).toBe(
      'ERR_DISCOVERY_ID_JAG_UNSUPPORTED',
    );
    expect((await refusal(world({ as: { authorization_grant_profiles_supported: ['other'] } }))).code).toBe(
      'ERR_DISCOVERY_ID_JAG_UNSUPPORTED',
    );
  });

  it('[AGENT-IDJAG-6.1-GRANT-PROFILE] the named relaxation accepts only an absent list, never one without ID-JAG', async () => {
    const relaxed = {
      ...world({ as: { authorization_grant_profiles_supported: undefined } }),
      acceptUnadvertisedIdJagProfile: true,
    };
    await expect(discoverAuthorization(relaxed)).resolves.toBeDefined();
    const listedOthers = {
      ...world({ as: { authorization_grant_profiles_supported: ['other'] } }),
      acceptUnadvertisedIdJagProfile: true,
    };
    expect((await refusal(listedOthers)).code).toBe('ERR_DISCOVERY_ID_JAG_UNSUPPORTED');
  });

  it('[AGENT-RFC7523-GRANT-ADVERTISED] refuses a RAS without the jwt-bearer grant (absent list included)', async () => {
    expect((await refusal(world({ as: { grant_types_supported: ['authorization_code'] } }))).code).toBe(
      'ERR_DISCOVERY_ID_JAG_UNSUPPORTED',
    );
    expect((await refusal(world({ as: { grant_types_supported: undefined } }))).code).toBe(
      'ERR_DISCOVERY_ID_JAG_UNSUPPORTED',
    );
  });

  it('[AGENT-TRANSPORT-HTTPS] refuses plain-http URLs from metadata unless loopback under the named opt-out', async () => {
    const error = await discoverAuthorization(world({ as: { token_endpoint: 'http://as.example/token' } })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(InsecureUrlError);
    const options = world({ prm: { authorization_servers: ['http://localhost:1/as'] } });
    await expect(discoverAuthorization(options)).rejects.toBeInstanceOf(InsecureUrlError);
  });

  it('[AGENT-RFC9728-AS-CHOICE] takes the first listed authorization server it is registered at, never contacting the others', async () => {
    const seen: string[] = [];
    const options = world({ prm: { authorization_servers: ['https://unknown.example', ISSUER] } }, seen);
    const found = await discoverAuthorization({ ...options, isRegisteredAt: (issuer) => issuer === ISSUER });
    expect(found.authorizationServer.issuer).toBe(ISSUER);
    expect(seen.filter((url) => url.startsWith('https://unknown.example'))).toEqual([]);
  });

  it('[AGENT-RFC9728-AS-CHOICE] refuses before any metadata request when it is registered at none of them', async () => {
    const seen: string[] = [];
    const options = world({ prm: { authorization_servers: ['https://unknown.example'] } }, seen);
    const error = await discoverAuthorization({ ...options, isRegisteredAt: () => false }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UnknownAuthorizationServerError);
    expect(seen).toEqual([PRM_URL]);
  });
});
